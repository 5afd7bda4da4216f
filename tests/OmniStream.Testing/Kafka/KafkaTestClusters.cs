using DotNet.Testcontainers.Builders;
using OmniStream.DevCluster;
using Testcontainers.Kafka;

namespace OmniStream.Testing.Kafka;

/// <summary>
/// Picks the cluster integration tests run on: <c>OMNISTREAM_KAFKA_BOOTSTRAP</c> when set, else a
/// Testcontainers Kafka when a Docker engine answers, else the embedded cluster. The same tests run on all three.
/// </summary>
public static class KafkaTestClusters
{
    /// <summary>The environment variable naming an external cluster.</summary>
    public const string ExternalBootstrapVariable = "OMNISTREAM_KAFKA_BOOTSTRAP";

    /// <summary>The Kafka image used where Docker is available.</summary>
    public const string KafkaImage = "confluentinc/cp-kafka:7.7.1";

    /// <summary>Starts (or connects to) the cluster for this test run.</summary>
    public static async Task<IKafkaTestCluster> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalBootstrapVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            ShortSessions.OnKafkaBrokers();
            return new AdminManagedCluster("external", external, null);
        }
        var (container, _) = await TryStartContainerAsync().ConfigureAwait(false);
        if (container is not null)
        {
            ShortSessions.OnKafkaBrokers();
            return new AdminManagedCluster("testcontainers", container.GetBootstrapAddress(), container);
        }
        return StartEmbedded();
    }

    /// <summary>Starts an embedded cluster, whatever else is available (for tests about the embedded cluster itself).</summary>
    public static IKafkaTestCluster StartEmbedded(int brokers = 3) => new EmbeddedTestCluster(DevKafkaCluster.Start(brokers));

    /// <summary>Starts a Kafka container; returns null and the reason when no Docker engine answers.</summary>
    public static async Task<(KafkaContainer? Container, string? Reason)> TryStartContainerAsync()
    {
        try
        {
            var container = new KafkaBuilder(KafkaImage).Build();
            await container.StartAsync().ConfigureAwait(false);
            return (container, null);
        }
        catch (Exception e) when (e is DockerUnavailableException or HttpRequestException or TimeoutException or InvalidOperationException)
        {
            return (null, $"no Docker engine answers ({e.GetType().Name}: {FirstLine(e.Message)})");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
