using Confluent.Kafka;
using Confluent.Kafka.Admin;
using OmniStream.Streaming.Hosting;

namespace OmniStream.Streaming.Topics;

/// <summary>Applies topic specifications to a real cluster through the Kafka admin API.</summary>
public sealed class KafkaTopicAdmin(KafkaOptions options, short replicationFactor = -1) : ITopicAdmin
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ApplyAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(options)).Build();
        var existing = admin.GetMetadata(MetadataTimeout).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count);
        var report = new List<string>();
        var missing = new List<TopicSpecification>();
        foreach (var topic in topics)
        {
            if (existing.TryGetValue(topic.Name, out var partitions))
            {
                report.Add(partitions == topic.Partitions
                    ? $"ok       {topic.Name} ({partitions} partitions)"
                    : $"DIFFERS  {topic.Name}: has {partitions} partitions, catalog says {topic.Partitions}");
                continue;
            }
            missing.Add(new TopicSpecification
            {
                Name = topic.Name,
                NumPartitions = topic.Partitions,
                ReplicationFactor = replicationFactor,
                Configs = topic.Config.ToDictionary(),
            });
            report.Add($"created  {topic.Name} ({topic.Partitions} partitions)");
        }
        if (missing.Count > 0)
        {
            try
            {
                await admin.CreateTopicsAsync(missing).ConfigureAwait(false);
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
                // Another instance created them first: the goal is reached.
            }
        }
        return report;
    }
}
