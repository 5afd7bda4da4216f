using DotNet.Testcontainers.Containers;
using OmniStream.DevCluster;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.Kafka;

namespace OmniStream.Testing.Kafka;

/// <summary>A real cluster (external or in a container): topics are created through the admin API.</summary>
internal sealed class AdminManagedCluster(string kind, string bootstrapServers, IContainer? container) : IKafkaTestCluster
{
    public string Kind => kind;

    public string BootstrapServers => bootstrapServers;

    public DevKafkaCluster? Embedded => null;

    public ITopicAdmin TopicAdmin { get; } = new KafkaTopicAdmin(new KafkaOptions { BootstrapServers = bootstrapServers });

    public Task CreateTopicAsync(string name, int partitions = 3) =>
        TopicAdmin.ApplyAsync([new TopicSpec(name, partitions, false, null, "test topic")]);

    public async ValueTask DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }
    }
}
