using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Streaming.Processing;
using OmniStream.Kafka;

namespace OmniStream.Cli.Bench;

/// <summary>
/// The transport's ceiling: a bare Confluent.Kafka loop that reads the interactions topics and
/// writes each record unchanged to one topic, under the same guarantee as the worker (one
/// transaction per commit interval with the consumed offsets, or flush then commit).
/// </summary>
internal sealed class PassThroughBaseline(KafkaOptions kafka, ProcessingGuarantee guarantee)
{
    /// <summary>Where the records go; as many partitions as the worker's repartition topic.</summary>
    public static readonly TopicSpec Output = new("omnistream-bench-passthrough", TopicCatalog.DefaultPartitions, false, null, "benchmark output");

    private static readonly StreamOptions Defaults = new();
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private long _committed;
    private volatile bool _assigned;

    /// <summary>Whether the consumer owns partitions yet.</summary>
    public bool Assigned => _assigned;

    /// <summary>Records written and committed so far.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Copies records until <paramref name="stop"/> is cancelled, committing as the worker does.</summary>
    public void Run(CancellationToken stop)
    {
        var exactlyOnce = guarantee == ProcessingGuarantee.ExactlyOnce;
        var consumerConfig = KafkaClientConfigs.Consumer(kafka, "omnistream-bench-passthrough", "omnistream-bench-passthrough");
        var producerConfig = KafkaClientConfigs.Producer(kafka, "omnistream-bench-passthrough");
        if (exactlyOnce)
        {
            producerConfig.TransactionalId = "omnistream-bench-passthrough";
        }
        using var consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig)
            .SetPartitionsAssignedHandler((_, partitions) => _assigned |= partitions.Count > 0)
            .Build();
        using var producer = new ProducerBuilder<byte[], byte[]>(producerConfig).Build();
        consumer.Subscribe(TopicCatalog.AllInteractions.Select(t => t.Name));
        if (exactlyOnce)
        {
            producer.InitTransactions(Timeout);
            producer.BeginTransaction();
        }
        var uncommitted = 0L;
        var lastCommit = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(10)) is { IsPartitionEOF: false } record)
            {
                producer.Produce(Output.Name, new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = record.Message.Headers, Timestamp = record.Message.Timestamp });
                uncommitted++;
            }
            if (uncommitted >= Defaults.MaxRecordsPerCommit || (uncommitted > 0 && DateTime.UtcNow - lastCommit >= Defaults.CommitInterval))
            {
                Commit(consumer, producer, exactlyOnce);
                Interlocked.Add(ref _committed, uncommitted);
                uncommitted = 0;
                lastCommit = DateTime.UtcNow;
            }
        }
        consumer.Close();
    }

    private static void Commit(IConsumer<byte[], byte[]> consumer, IProducer<byte[], byte[]> producer, bool exactlyOnce)
    {
        var offsets = consumer.Assignment.Select(p => new TopicPartitionOffset(p, consumer.Position(p))).Where(o => o.Offset != Offset.Unset).ToList();
        if (exactlyOnce)
        {
            producer.SendOffsetsToTransaction(offsets, consumer.ConsumerGroupMetadata, Timeout);
            producer.CommitTransaction(Timeout);
            producer.BeginTransaction();
        }
        else
        {
            producer.Flush(Timeout);
            consumer.Commit(offsets);
        }
    }
}
