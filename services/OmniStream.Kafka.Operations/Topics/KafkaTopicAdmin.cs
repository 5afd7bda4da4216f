using Confluent.Kafka;
using Confluent.Kafka.Admin;
using OmniStream.Kafka;

namespace OmniStream.Kafka.Operations.Topics;

/// <summary>
/// Applies topic specifications to a real cluster through the Kafka admin API. Topics the brokers
/// do not create (no permission, or no support, as on the embedded cluster) end in a
/// <see cref="MissingTopicsException"/> naming them and saying how to create them (<paramref name="remedy"/>).
/// </summary>
public sealed class KafkaTopicAdmin(KafkaOptions options, short replicationFactor = -1, string? remedy = null) : ITopicAdmin
{
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async Task<IReadOnlyList<TopicApplied>> ApplyAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        var existing = ClusterMetadata.TopicPartitions(options, ClusterMetadata.DefaultTimeout);
        var report = new List<TopicApplied>();
        var missing = new List<TopicSpecification>();
        foreach (var topic in topics)
        {
            if (existing.TryGetValue(topic.Name, out var partitions))
            {
                report.Add(new TopicApplied(topic.Name, partitions == topic.Partitions ? TopicOutcome.Ok : TopicOutcome.Differs, partitions, topic.Partitions));
                continue;
            }
            missing.Add(new TopicSpecification
            {
                Name = topic.Name,
                NumPartitions = topic.Partitions,
                ReplicationFactor = replicationFactor,
                Configs = topic.Config.ToDictionary(),
            });
            report.Add(new TopicApplied(topic.Name, TopicOutcome.Created, topic.Partitions, topic.Partitions));
        }
        if (missing.Count > 0)
        {
            await CreateAsync(missing).ConfigureAwait(false);
        }
        return report;
    }

    private async Task CreateAsync(List<TopicSpecification> missing)
    {
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(options)).SetLogHandler((_, _) => { }).Build();
        try
        {
            await admin.CreateTopicsAsync(missing, new CreateTopicsOptions { RequestTimeout = CreateTimeout, OperationTimeout = CreateTimeout }).ConfigureAwait(false);
        }
        catch (CreateTopicsException e)
        {
            // Another instance may have created some first: only the others are missing.
            var failed = e.Results.Where(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists)).ToList();
            if (failed.Count > 0)
            {
                throw new MissingTopicsException([.. failed.Select(r => r.Topic)],
                    $"the brokers refused to create them: {string.Join("; ", failed.Select(r => r.Error.Reason).Distinct())}", Remedy);
            }
        }
        catch (KafkaException e)
        {
            throw new MissingTopicsException([.. missing.Select(t => t.Name)], $"the brokers did not create them: {e.Error.Reason}", Remedy);
        }
    }

    private string Remedy => remedy ?? "create them with 'omnistream topics apply' (or, on the embedded cluster, 'omnistream dev-cluster')";
}
