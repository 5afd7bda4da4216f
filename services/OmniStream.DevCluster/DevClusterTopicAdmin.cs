using Confluent.Kafka;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.Kafka;

namespace OmniStream.DevCluster;

/// <summary>Creates topics on the embedded cluster, whose brokers do not implement the CreateTopics request.</summary>
public sealed class DevClusterTopicAdmin(DevKafkaCluster cluster) : ITopicAdmin
{
    /// <inheritdoc />
    public Task<IReadOnlyList<TopicApplied>> ApplyAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        var report = new List<TopicApplied>();
        Dictionary<string, int>? existing = null;
        foreach (var topic in topics)
        {
            try
            {
                cluster.CreateTopic(topic.Name, topic.Partitions);
                report.Add(new TopicApplied(topic.Name, TopicOutcome.Created, topic.Partitions, topic.Partitions));
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.TopicAlreadyExists)
            {
                existing ??= ClusterMetadata.TopicPartitions(new KafkaOptions { BootstrapServers = cluster.BootstrapServers }, ClusterMetadata.DefaultTimeout);
                var partitions = existing.GetValueOrDefault(topic.Name, topic.Partitions);
                report.Add(new TopicApplied(topic.Name, partitions == topic.Partitions ? TopicOutcome.Ok : TopicOutcome.Differs, partitions, topic.Partitions));
            }
        }
        return Task.FromResult<IReadOnlyList<TopicApplied>>(report);
    }
}
