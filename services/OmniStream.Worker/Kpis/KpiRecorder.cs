using OmniStream.Customers.Kpis;
using OmniStream.Streaming.Processing;

namespace OmniStream.Worker.Kpis;

/// <summary>
/// Stage <c>customers</c>' side of the KPIs: when a task's transaction commits, it sends the counts
/// its records gathered (<see cref="KpiBuffer"/>), one record per cell and one per segment whose members moved, to stage <c>kpis</c>. Counts of
/// an aborted transaction go with the task's memory and are counted again when its records are replayed.
/// </summary>
public sealed class KpiRecorder(string kpisInput)
{
    /// <summary>Sends the counts gathered in <paramref name="buffer"/>, one record per cell, and empties it.</summary>
    public void Flush(IRecordSink sink, KpiBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Count == 0)
        {
            return;
        }
        foreach (var (cell, tally) in buffer.Take())
        {
            sink.Send(kpisInput, cell.ToUtf8(), KpiCodec.Encode(tally));
        }
        foreach (var (segment, counts) in buffer.TakeMembers())
        {
            sink.Send(kpisInput, SegmentMembers.KeyOf(segment), KpiCodec.Encode(counts));
        }
    }
}
