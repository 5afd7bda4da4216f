using OmniStream.Streaming.Telemetry;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>Counts the engine's rebalance events of one kind, as OpenTelemetry would see them.</summary>
internal sealed class RebalanceCounter : IDisposable
{
    private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
    private long _count;

    public RebalanceCounter(string kind)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamingMetrics.MeterName && instrument.Name == "omnistream.streaming.rebalances")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "kind", Value: string k } && k == kind)
                {
                    Interlocked.Add(ref _count, value);
                }
            }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
