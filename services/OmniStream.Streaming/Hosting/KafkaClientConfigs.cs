using Confluent.Kafka;

namespace OmniStream.Streaming.Hosting;

/// <summary>Client configurations built from <see cref="KafkaOptions"/>: OmniStream's defaults, then the user's overrides.</summary>
public static class KafkaClientConfigs
{
    /// <summary>
    /// An idempotent producer (acks=all) that waits up to 10 ms to fill a batch: fewer, larger
    /// batches cost the brokers less per fetch (measured with the bench: 5 ms gave p99 2.1 s at
    /// 2,000 events/s once 200k events were in the topics, 10 ms gave 0.4 s) and cost the demo nothing measurable.
    /// </summary>
    public static ProducerConfig Producer(KafkaOptions options, string clientId)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = clientId,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 10,
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
