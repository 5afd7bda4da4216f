using Confluent.Kafka;

namespace OmniStream.Streaming.Hosting;

/// <summary>Client configurations built from <see cref="KafkaOptions"/>: OmniStream's defaults, then the user's overrides.</summary>
public static class KafkaClientConfigs
{
    /// <summary>An idempotent producer tuned for low latency (acks=all, linger 5 ms).</summary>
    public static ProducerConfig Producer(KafkaOptions options, string clientId)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = clientId,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
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
