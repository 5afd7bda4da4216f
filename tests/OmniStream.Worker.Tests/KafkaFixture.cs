using OmniStream.Channels.Topics;
using OmniStream.Testing.Kafka;

namespace OmniStream.Worker.Tests;

/// <summary>One cluster for this test assembly, with every catalog topic created.</summary>
[SetUpFixture]
public sealed class KafkaFixture
{
    public static IKafkaTestCluster Cluster { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Cluster = await KafkaTestClusters.StartAsync();
        foreach (var topic in TopicCatalog.All)
        {
            await Cluster.CreateTopicAsync(topic.Name, topic.Partitions);
        }
        TestContext.Progress.WriteLine($"Kafka for worker tests: {Cluster.Kind} at {Cluster.BootstrapServers}");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await Cluster.DisposeAsync();
}
