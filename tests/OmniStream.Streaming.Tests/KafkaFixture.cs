using OmniStream.Testing.Kafka;

namespace OmniStream.Streaming.Tests;

/// <summary>One cluster for every fixture of this assembly; each test uses topics and groups of its own.</summary>
[SetUpFixture]
public sealed class KafkaFixture
{
    public static IKafkaTestCluster Cluster { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => Cluster = await KafkaTestClusters.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await Cluster.DisposeAsync();
}
