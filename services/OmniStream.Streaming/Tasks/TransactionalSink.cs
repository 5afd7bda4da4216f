using System.Collections.Concurrent;
using Confluent.Kafka;
using OmniStream.Streaming.Telemetry;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// Sends through the engine's producer, opening the transaction on first use when the producer is
/// transactional, and remembers the highest delivered offset per partition (the changelog
/// checkpoints) and the first failure. Without transactions, "in transaction" only means that
/// something was consumed or sent since the last commit.
/// </summary>
internal sealed class TransactionalSink(IProducer<byte[], byte[]?> producer, bool transactional, StreamingMetrics metrics) : IStageSink
{
    private readonly ConcurrentDictionary<TopicPartition, long> _delivered = new();
    private static readonly Headers NoHeaders = [];
    private readonly Message<byte[], byte[]?> _fields = new();
    private Exception? _firstFailure;

    public bool InTransaction { get; private set; }

    /// <summary>How many records were sent since start.</summary>
    public long Sent { get; private set; }

    public void EnsureTransaction()
    {
        if (!InTransaction)
        {
            if (transactional)
            {
                producer.BeginTransaction();
            }
            InTransaction = true;
        }
    }

    public void Send(string topic, byte[] key, byte[] value, Headers? headers = null) => Send(new TopicPartition(topic, Partition.Any), key, value, headers);

    public void Send(TopicPartition partition, byte[] key, byte[]? value) => Send(partition, key, value, null);

    public void Send(string topic, Message<byte[], byte[]?> message) => Send(new TopicPartition(topic, Partition.Any), message);

    public void Send(TopicPartition partition, Message<byte[], byte[]?> message)
    {
        EnsureTransaction();
        producer.Produce(partition, message, OnDelivered);
        Sent++;
        var topic = new KeyValuePair<string, object?>("topic", partition.Topic);
        metrics.RecordsOut.Add(1, topic);
        metrics.Produced.Add((message.Key?.Length ?? 0) + (message.Value?.Length ?? 0), topic);
    }

    // The producer copies a record's fields when it produces it and keeps no reference to the message,
    // so one message does for every record sent by fields; its empty headers spare the producer making some.
    private void Send(TopicPartition partition, byte[] key, byte[]? value, Headers? headers)
    {
        _fields.Key = key;
        _fields.Value = value;
        _fields.Headers = headers ?? NoHeaders;
        Send(partition, _fields);
        _fields.Key = null!;
        _fields.Value = null;
    }

    /// <summary>Waits for every delivery report; throws when one failed.</summary>
    public void FlushOrThrow(TimeSpan timeout)
    {
        if (producer.Flush(timeout) > 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"outputs still undelivered after {timeout.TotalSeconds:0.#} s"));
        }
        if (Interlocked.Exchange(ref _firstFailure, null) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>The next offset after what was delivered to <paramref name="partition"/> in this transaction, if anything was.</summary>
    public long? NextOffset(TopicPartition partition) => _delivered.TryGetValue(partition, out var last) ? last + 1 : null;

    /// <summary>Forgets the transaction (after commit or abort).</summary>
    public void Reset()
    {
        InTransaction = false;
        _delivered.Clear();
        _firstFailure = null;
    }

    private void OnDelivered(DeliveryReport<byte[], byte[]?> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.CompareExchange(ref _firstFailure, new KafkaException(report.Error), null);
            return;
        }
        _delivered.AddOrUpdate(report.TopicPartition, report.Offset.Value, (_, old) => Math.Max(old, report.Offset.Value));
    }
}
