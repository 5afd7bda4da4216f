namespace OmniStream.Kafka;

/// <summary>A topic as OmniStream needs it to exist.</summary>
/// <param name="Name">The topic's name.</param>
/// <param name="Partitions">How many partitions (the unit of parallelism).</param>
/// <param name="Compacted">True for a compacted topic (latest value per key is kept).</param>
/// <param name="Retention">How long records are kept; null for the broker's default (or forever when compacted).</param>
/// <param name="Purpose">What the topic carries, for the docs and <c>omnistream topics</c>.</param>
public sealed record TopicSpec(string Name, int Partitions, bool Compacted, TimeSpan? Retention, string Purpose)
{
    /// <summary>
    /// How long an overwritten value or a tombstoned key's data may stay in a compacted topic: a segment rolls after a day
    /// at most, and compaction takes it within a week (<c>max.compaction.lag.ms</c>). Without a bound, a quiet partition's
    /// active segment is never compacted, and an erased customer's data stays in it indefinitely.
    /// </summary>
    public static readonly TimeSpan CompactionBound = TimeSpan.FromDays(8);

    private static readonly TimeSpan SegmentRoll = TimeSpan.FromDays(1);
    private static readonly TimeSpan MaxCompactionLag = TimeSpan.FromDays(7);

    /// <summary>The topic-level configuration to create the topic with.</summary>
    public IReadOnlyDictionary<string, string> Config
    {
        get
        {
            var config = new Dictionary<string, string>
            {
                ["cleanup.policy"] = Compacted ? "compact" : "delete",
                ["retention.ms"] = Retention is { } r ? Milliseconds(r) : "-1",
            };
            if (Compacted)
            {
                config["segment.ms"] = Milliseconds(SegmentRoll);
                config["max.compaction.lag.ms"] = Milliseconds(MaxCompactionLag);
            }
            return config;
        }
    }

    private static string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
