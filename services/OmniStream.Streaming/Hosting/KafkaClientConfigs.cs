using Confluent.Kafka;

namespace OmniStream.Streaming.Hosting;

/// <summary>Client configurations built from <see cref="KafkaOptions"/>: OmniStream's defaults, then the user's overrides.</summary>
public static class KafkaClientConfigs
{
    /// <summary>An idempotent producer (acks=all) that waits up to 10 ms to fill a batch.</summary>
    public static ProducerConfig Producer(KafkaOptions options, string clientId) => Producer(options, clientId, lingerMs: 10);

    /// <summary>
    /// The producer of a stream stage: as <see cref="Producer(KafkaOptions, string)"/>, but waiting
    /// up to 50 ms to fill a batch, since the stage flushes its outputs at each commit (every
    /// 100 ms) anyway. Fewer, larger batches cost the brokers less per fetch; measured with the
    /// bench on the embedded cluster (200k events, then 2,000 events/s): p99 4.9–11 s with 10 ms,
    /// 0.7–1.7 s with 20 ms, 0.48–0.91 s (median of five runs 0.57 s) with 50 ms.
    /// </summary>
    public static ProducerConfig StageProducer(KafkaOptions options, string clientId) => Producer(options, clientId, lingerMs: 50);

    private static ProducerConfig Producer(KafkaOptions options, string clientId, int lingerMs)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = clientId,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = lingerMs,
        };
        Override(config, options.Producer);
        return config;
    }

    /// <summary>A consumer in a group that commits explicitly, after its outputs are delivered.</summary>
    public static ConsumerConfig Consumer(KafkaOptions options, string groupId, string clientId)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = groupId,
            ClientId = clientId,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            FetchWaitMaxMs = 20,
        };
        Override(config, options.Consumer);
        return config;
    }

    /// <summary>An admin client.</summary>
    public static AdminClientConfig Admin(KafkaOptions options) => new() { BootstrapServers = options.BootstrapServers };

    private static void Override(ClientConfig config, Dictionary<string, string> overrides)
    {
        foreach (var (key, value) in overrides)
        {
            config.Set(key, value);
        }
    }
}
