using Confluent.Kafka;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>A stateless stage that forwards its records (when it has an output) and counts the ticks its timers get.</summary>
internal sealed class ProbeHandler(string stage, string input, string? output, params string[] upstreamStages) : IStreamHandler
{
    private long _ticks;
    private long _records;

    public long Ticks => Interlocked.Read(ref _ticks);

    public long Records => Interlocked.Read(ref _records);

    public string Stage => stage;

    public IReadOnlyList<string> InputTopics { get; } = [input];

    public IReadOnlyList<string> Stores { get; } = [];

    public IReadOnlyList<string> DownstreamTopics { get; } = output is null ? [] : [output];

    public IReadOnlyList<string> UpstreamStages => upstreamStages;

    public ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _records);
        if (output is not null)
        {
            task.Send(output, new Message<byte[], byte[]?> { Key = record.Message.Key, Value = record.Message.Value, Timestamp = record.Message.Timestamp });
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _ticks);
        return ValueTask.CompletedTask;
    }

    public bool IsTransient(Exception exception) => false;
}
