using Confluent.Kafka;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>
/// A stateless stage that forwards its records (when it has an output), counts the ticks its timers
/// get and notes each tick's time with the records read by then.
/// </summary>
internal sealed class ProbeHandler(string stage, string input, string? output, params string[] upstreamStages) : IStreamHandler
{
    private readonly List<(DateTime Time, long Records)> _tickLog = [];
    private long _ticks;
    private long _records;

    /// <summary>How long each record takes to handle, to give a stage a backlog.</summary>
    public TimeSpan WorkPerRecord { get; init; }

    /// <summary>Each tick's time and how many records had been handled when it came.</summary>
    public IReadOnlyList<(DateTime Time, long Records)> TickLog
    {
        get
        {
            lock (_tickLog)
            {
                return [.. _tickLog];
            }
        }
    }

    public long Ticks => Interlocked.Read(ref _ticks);

    public long Records => Interlocked.Read(ref _records);

    public string Stage => stage;

    public IReadOnlyList<string> InputTopics { get; } = [input];

    public IReadOnlyList<string> Stores { get; } = [];

    public IReadOnlyList<string> DownstreamTopics { get; } = output is null ? [] : [output];

    public IReadOnlyList<string> UpstreamStages => upstreamStages;

    public async ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        if (WorkPerRecord > TimeSpan.Zero)
        {
            await Task.Delay(WorkPerRecord, cancellationToken);
        }
        Interlocked.Increment(ref _records);
        if (output is not null)
        {
            task.Send(output, new Message<byte[], byte[]?> { Key = record.Message.Key, Value = record.Message.Value, Timestamp = record.Message.Timestamp });
        }
    }

    public ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _ticks);
        lock (_tickLog)
        {
            _tickLog.Add((now, Records));
        }
        return ValueTask.CompletedTask;
    }

    public bool IsTransient(Exception exception) => false;
}
