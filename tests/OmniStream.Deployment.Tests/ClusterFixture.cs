using OmniStream.Testing.Kafka;

namespace OmniStream.Deployment.Tests;

/// <summary>One embedded cluster in the test process for this assembly's tests (those that take brokers down or inject errors start their own).</summary>
[SetUpFixture]
public sealed class ClusterFixture
{
    public static IKafkaTestCluster Cluster { get; private set; } = null!;

    [OneTimeSetUp]
    public void Start() => Cluster = KafkaTestClusters.StartEmbedded(brokers: 1);

    [OneTimeTearDown]
    public async Task StopAsync() => await Cluster.DisposeAsync();
}
