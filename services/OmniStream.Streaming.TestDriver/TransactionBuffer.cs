using Confluent.Kafka;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.TestDriver;

/// <summary>
/// A stage's open transaction in the driver: what its tasks send waits here, and reaches the topics
/// (in the order sent) only when the stage commits; a crash drops it. Records sent to any partition
/// go where Kafka's default partitioner puts their key.
/// </summary>
internal sealed class TransactionBuffer(DriverTopics topics, TimeProvider clock) : IStageSink
{
    // What was sent, by fields: a message's are copied out, as a producer would.
    private readonly List<(string Topic, int Partition, byte[]? Key, byte[]? Value, Headers? Headers, Timestamp Timestamp)> _open = [];
    private readonly Dictionary<(string Topic, int Partition), long> _next = [];

    /// <summary>True once something was consumed or sent since the last commit or abort.</summary>
    public bool InTransaction { get; private set; }

    public long Sent { get; private set; }

    /// <summary>Records committed to the topics so far.</summary>
    public long Committed { get; private set; }

    public void Begin() => InTransaction = true;

    public void Send(string topic, byte[] key, byte[] value, Headers? headers = null) => Send(topic, Partition.Any, key, value, headers, Timestamp.Default);

    public void Send(string topic, Message<byte[], byte[]?> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Send(topic, Partition.Any, message.Key, message.Value, message.Headers, message.Timestamp);
    }

    public void Send(TopicPartition partition, Message<byte[], byte[]?> message)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(message);
        Send(partition.Topic, partition.Partition, message.Key, message.Value, message.Headers, message.Timestamp);
    }

    public void Send(TopicPartition partition, byte[] key, byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(partition);
        Send(partition.Topic, partition.Partition, key, value, null, Timestamp.Default);
    }

    private void Send(string topic, Partition partition, byte[]? key, byte[]? value, Headers? headers, Timestamp timestamp)
    {
        var log = topics.Log(topic);
        var index = partition == Partition.Any
            ? key is { Length: > 0 } ? KeyPartitioner.Partition(key, log.Partitions) : 0
            : partition.Value;
        _open.Add((topic, index, key, value, headers, timestamp));
        InTransaction = true;
        Sent++;
    }

    public long? NextOffset(TopicPartition partition) => _next.TryGetValue((partition.Topic, partition.Partition.Value), out var next) ? next : null;

    /// <summary>Appends what was sent to the topics, committed; <see cref="NextOffset"/> then answers for each partition written.</summary>
    public void Commit()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (topic, partition, key, value, headers, sent) in _open)
        {
            var timestamp = sent.Type == TimestampType.NotAvailable ? now : sent.UtcDateTime;
            var offset = topics.Log(topic).Append(partition, key, value, headers, timestamp);
            _next[(topic, partition)] = offset + 1;
        }
        Committed += _open.Count;
        _open.Clear();
    }

    /// <summary>Forgets the transaction: what was sent and not committed is dropped.</summary>
    public void Reset()
    {
        _open.Clear();
        _next.Clear();
        InTransaction = false;
    }
}
