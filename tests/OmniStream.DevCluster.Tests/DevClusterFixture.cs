using Confluent.Kafka;

namespace OmniStream.DevCluster.Tests;

/// <summary>One embedded cluster for the fixtures of this namespace; clients are disposed by each test.</summary>
[SetUpFixture]
public sealed class DevClusterFixture
{
    public static DevKafkaCluster Cluster { get; private set; } = null!;

    [OneTimeSetUp]
    public void Start() => Cluster = DevKafkaCluster.Start(brokers: 3);

    [OneTimeTearDown]
    public void Stop() => Cluster.Dispose();

    public static string NewTopic(int partitions = 3)
    {
        var name = "test-" + Guid.NewGuid().ToString("N")[..12];
        Cluster.CreateTopic(name, partitions);
        return name;
    }

    public static IProducer<string, string> Producer(Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 1 };
        configure?.Invoke(config);
        return new ProducerBuilder<string, string>(config).Build();
    }

    public static IConsumer<string, string> Consumer() =>
        new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            GroupId = "test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();

    /// <summary>Reads until <paramref name="count"/> records arrived or the deadline passed.</summary>
    public static List<ConsumeResult<string, string>> ReadAll(string topic, int count, TimeSpan timeout)
    {
        using var consumer = Consumer();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + timeout;
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } record)
            {
                records.Add(record);
            }
        }
        consumer.Close();
        return records;
    }
}
