using Confluent.Kafka;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.Kafka;

namespace OmniStream.DevCluster;

/// <summary>Creates topics on the embedded cluster, whose brokers do not implement the CreateTopics request.</summary>
public sealed class DevClusterTopicAdmin(DevKafkaCluster cluster) : ITopicAdmin
{
    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ApplyAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        var report = new List<string>();
        foreach (var topic in topics)
        {
            try
            {
                cluster.CreateTopic(topic.Name, topic.Partitions);
                report.Add($"created  {topic.Name} ({topic.Partitions} partitions)");
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.TopicAlreadyExists)
            {
                report.Add($"ok       {topic.Name}");
            }
        }
        return Task.FromResult<IReadOnlyList<string>>(report);
    }
}
