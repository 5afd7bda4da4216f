using Confluent.Kafka;
using OmniStream.Streaming.Hosting;

namespace OmniStream.Streaming.Topics;

/// <summary>
/// What the cluster holds, read through an admin client. When the brokers cannot be reached, the
/// error names them and the last error the client saw (a refused connection, a failed SASL
/// authentication, a TLS handshake), rather than a bare timeout.
/// </summary>
public static class ClusterMetadata
{
    /// <summary>The default wait for the brokers' answer.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Every topic of the cluster that answers without error, with its partition count.</summary>
    /// <exception cref="KafkaUnreachableException">No broker answered within <paramref name="timeout"/>.</exception>
    public static Dictionary<string, int> TopicPartitions(KafkaOptions options, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        Error? last = null;
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(options))
            .SetErrorHandler((_, error) => last = error)
            .SetLogHandler((_, _) => { })
            .Build();
        try
        {
            return admin.GetMetadata(timeout).Topics
                .Where(topic => topic.Error.Code == ErrorCode.NoError)
                .ToDictionary(topic => topic.Topic, topic => topic.Partitions.Count);
        }
        catch (KafkaException e)
        {
            throw new KafkaUnreachableException(options.BootstrapServers, timeout, last?.Reason ?? e.Error.Reason, e);
        }
    }

    /// <summary>The names among <paramref name="topics"/> the cluster does not have.</summary>
    public static IReadOnlyList<string> Missing(KafkaOptions options, IEnumerable<string> topics, TimeSpan timeout)
    {
        var existing = TopicPartitions(options, timeout);
        return [.. topics.Where(topic => !existing.ContainsKey(topic))];
    }
}
