using OmniStream.Kafka;

namespace OmniStream.Testing.Kafka;

/// <summary>
/// Consumer sessions of 6 s (heartbeats each second) instead of 45 s: the embedded brokers keep a member
/// that left, was killed or has not joined yet until its session times out, so that a rebalance, a
/// restart in the same group or a second thread would otherwise wait 45 s.
/// </summary>
public static class ShortSessions
{
    /// <summary>The consumer settings, for a <see cref="KafkaOptions.Consumer"/> dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Consumer { get; } = new Dictionary<string, string>
    {
        ["session.timeout.ms"] = "3000",
        ["heartbeat.interval.ms"] = "500",
    };

    /// <summary>The same as a process's configuration (<c>OmniStream:Kafka:Consumer:*</c>).</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } =
        Consumer.ToDictionary(s => $"{KafkaOptions.Section}:Consumer:{s.Key}", s => s.Value);

    /// <summary>Sets them on <paramref name="kafka"/>; returns it.</summary>
    public static KafkaOptions Apply(KafkaOptions kafka)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        foreach (var (key, value) in Consumer)
        {
            kafka.Consumer[key] = value;
        }
        return kafka;
    }

    /// <summary><paramref name="settings"/> with the short sessions added.</summary>
    public static Dictionary<string, string> With(Dictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        return settings;
    }
}
