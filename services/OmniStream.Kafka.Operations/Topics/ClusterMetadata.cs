using Confluent.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Kafka.Operations.Topics;

/// <summary>
/// What the cluster holds, read through an admin client. When the brokers cannot be reached, the
/// error names them and the last error the client saw (a refused connection, a failed SASL
/// authentication, a TLS handshake), rather than a bare timeout.
/// </summary>
public static class ClusterMetadata
{
    /// <summary>The default wait for the brokers' answer.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

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
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return admin.GetMetadata(Attempt).Topics
                    .Where(topic => topic.Error.Code == ErrorCode.NoError)
                    .ToDictionary(topic => topic.Topic, topic => topic.Partitions.Count);
            }
            catch (KafkaException e) when (clock.Elapsed >= timeout || last is { } refused && IsRefusal(refused.Code))
            {
                // A refused authentication or TLS handshake will not pass by waiting: say so at once.
                throw new KafkaUnreachableException(options.BootstrapServers, clock.Elapsed, last?.Reason ?? e.Error.Reason, e, refused: last is { } seen && IsRefusal(seen.Code));
            }
            catch (KafkaException)
            {
                // Not answered yet: ask again until the deadline.
            }
        }
    }

    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(1);

    private static bool IsRefusal(ErrorCode code) =>
        code is ErrorCode.Local_Authentication or ErrorCode.Local_Ssl or ErrorCode.SaslAuthenticationFailed or ErrorCode.ClusterAuthorizationFailed;

    /// <summary>The names among <paramref name="topics"/> the cluster does not have.</summary>
    public static IReadOnlyList<string> Missing(KafkaOptions options, IEnumerable<string> topics, TimeSpan timeout)
    {
        var existing = TopicPartitions(options, timeout);
        return [.. topics.Where(topic => !existing.ContainsKey(topic))];
    }
}
