namespace OmniStream.Kafka;

/// <summary>A topic as OmniStream needs it to exist.</summary>
/// <param name="Name">The topic's name.</param>
/// <param name="Partitions">How many partitions (the unit of parallelism).</param>
/// <param name="Compacted">True for a compacted topic (latest value per key is kept).</param>
/// <param name="Retention">How long records are kept; null for the broker's default (or forever when compacted).</param>
/// <param name="Purpose">What the topic carries, for the README and <c>omnistream topics</c>.</param>
public sealed record TopicSpec(string Name, int Partitions, bool Compacted, TimeSpan? Retention, string Purpose)
{
    /// <summary>The topic-level configuration to create the topic with.</summary>
    public IReadOnlyDictionary<string, string> Config =>
        new Dictionary<string, string>
        {
            ["cleanup.policy"] = Compacted ? "compact" : "delete",
            ["retention.ms"] = Retention is { } r ? ((long)r.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : "-1",
        };
}
