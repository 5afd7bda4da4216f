using OmniStream.Channels.Topics;
using OmniStream.Testing.Kafka;

namespace OmniStream.Gateway.Tests;

/// <summary>One cluster for this test assembly, with every catalog topic created.</summary>
[SetUpFixture]
public sealed class KafkaFixture
{
    public static IKafkaTestCluster Cluster { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Cluster = await KafkaTestClusters.StartAsync();
        await Cluster.TopicAdmin.ApplyAsync(TopicCatalog.All);
        TestContext.Progress.WriteLine($"Kafka for gateway tests: {Cluster.Kind} at {Cluster.BootstrapServers}");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await Cluster.DisposeAsync();
}
