using OmniStream.DevCluster;
using OmniStream.Kafka.Operations.Topics;

namespace OmniStream.Testing.Kafka;

/// <summary>A Kafka cluster for integration tests: external, in a container, or embedded.</summary>
public interface IKafkaTestCluster : IAsyncDisposable
{
    /// <summary>Where the cluster came from: "external", "testcontainers" or "embedded".</summary>
    string Kind { get; }

    /// <summary>The brokers, as bootstrap.servers.</summary>
    string BootstrapServers { get; }

    /// <summary>The embedded cluster, for fault injection; null on the other kinds.</summary>
    DevKafkaCluster? Embedded { get; }

    /// <summary>Creates a topic (unique names per test keep tests apart).</summary>
    Task CreateTopicAsync(string name, int partitions = 3);

    /// <summary>A topic admin for services under test (existing topics are left as they are).</summary>
    ITopicAdmin TopicAdmin { get; }
}
