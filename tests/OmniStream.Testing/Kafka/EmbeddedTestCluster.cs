using OmniStream.DevCluster;
using OmniStream.Kafka.Operations.Topics;

namespace OmniStream.Testing.Kafka;

internal sealed class EmbeddedTestCluster(DevKafkaCluster cluster) : IKafkaTestCluster
{
    public string Kind => "embedded";

    public string BootstrapServers => cluster.BootstrapServers;

    public DevKafkaCluster? Embedded => cluster;

    public ITopicAdmin TopicAdmin { get; } = new DevClusterTopicAdmin(cluster);

    public Task CreateTopicAsync(string name, int partitions = 3)
    {
        cluster.CreateTopic(name, partitions);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        cluster.Dispose();
        return ValueTask.CompletedTask;
    }
}
