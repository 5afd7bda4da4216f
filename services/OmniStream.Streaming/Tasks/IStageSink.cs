using Confluent.Kafka;
using OmniStream.Streaming.Processing;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// Where a stage thread's tasks send within the open transaction: outputs, changelog records, dead
/// letters. It knows the offset each changelog partition reached, which the stores checkpoint at commit.
/// </summary>
internal interface IStageSink : IRecordSink
{
    /// <summary>How many records were sent since start.</summary>
    long Sent { get; }

    /// <summary>Queues a record for one partition (or <see cref="Partition.Any"/>: by its key).</summary>
    void Send(TopicPartition partition, Message<byte[], byte[]?> message);

    /// <summary>Queues a record without headers for one partition, a null value for a tombstone (a changelog's records).</summary>
    void Send(TopicPartition partition, byte[] key, byte[]? value);

    /// <summary>The next offset after what was delivered to <paramref name="partition"/> in this transaction, if anything was.</summary>
    long? NextOffset(TopicPartition partition);
}
