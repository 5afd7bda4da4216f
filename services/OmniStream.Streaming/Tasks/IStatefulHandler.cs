using Confluent.Kafka;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// The application side of an <see cref="ExactlyOnceLoop"/>: one input topic, whose partitions
/// are tasks, each with its own shard of the named stores.
/// </summary>
public interface IStatefulHandler
{
    /// <summary>The topic to consume; each of its partitions is a task.</summary>
    string InputTopic { get; }

    /// <summary>The stores every task has.</summary>
    IReadOnlyList<string> Stores { get; }

    /// <summary>Handles one record of the task's partition.</summary>
    ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken);

    /// <summary>Emits what became due by <paramref name="now"/> in the task.</summary>
    ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken);

    /// <summary>True when a failure may pass on retry (the record is not at fault).</summary>
    bool IsTransient(Exception exception);
}
