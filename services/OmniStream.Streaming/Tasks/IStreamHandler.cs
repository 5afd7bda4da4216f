using Confluent.Kafka;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// One stage of a topology, run by a <see cref="StreamEngine"/>: each partition of each input
/// topic is a task. A stage with stores reads one topic, with which its changelogs are
/// co-partitioned: each task owns the shard of every store for its partition.
/// </summary>
public interface IStreamHandler
{
    /// <summary>The stage's name, unique in the application: it names its consumer group, transactional id and positions store.</summary>
    string Stage { get; }

    /// <summary>The topics to consume; each of their partitions is a task.</summary>
    IReadOnlyList<string> InputTopics { get; }

    /// <summary>The stores every task has (none for a stateless stage); names are unique in the application.</summary>
    IReadOnlyList<string> Stores { get; }

    /// <summary>Handles one record of the task's partition.</summary>
    ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken);

    /// <summary>Emits what became due by <paramref name="now"/> in the task.</summary>
    ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken);

    /// <summary>
    /// Called for each task just before its transaction commits: sends what the handler gathered
    /// in the task's memory (<see cref="ITaskContext.Local{T}"/>) since the last commit, so that it
    /// commits with the records it came from. When the transaction aborts instead, the engine drops
    /// that memory with the rest, and the records are read again.
    /// </summary>
    void OnCommitting(ITaskContext task)
    {
    }

    /// <summary>True when a failure may pass on retry (the record is not at fault).</summary>
    bool IsTransient(Exception exception);

    /// <summary>
    /// Topics this stage writes for a later stage of the application: the engine also writes its
    /// progress (watermarks) into every partition of them, for that stage's timers.
    /// </summary>
    IReadOnlyList<string> DownstreamTopics => [];

    /// <summary>
    /// The earlier stages of the application that write this stage's input and send watermarks
    /// (none: the input comes from outside). A timer fires only once every input partition of each
    /// of them has been forwarded past its due time; on any other input a watermark header is data.
    /// </summary>
    IReadOnlyList<string> UpstreamStages => [];
}
