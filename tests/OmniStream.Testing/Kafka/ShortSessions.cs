using OmniStream.Kafka;

namespace OmniStream.Testing.Kafka;

/// <summary>
/// Consumer sessions shorter than Kafka's 45 s: the embedded brokers keep a member that left, was
/// killed or has not joined yet until its session times out, and a rebalance waits a session less a
/// second for the members to rejoin, so that a rebalance, a restart in the same group or a second
/// thread would otherwise wait that long. On the embedded brokers 3 s (heartbeats every 500 ms);
/// on Kafka brokers 6 s (heartbeats every second), the shortest they accept by default
/// (<c>group.min.session.timeout.ms</c>).
/// </summary>
public static class ShortSessions
{
    private const int EmbeddedSessionMs = 3000;
    private const int KafkaSessionMs = 6000;
    private static volatile int s_sessionMs = EmbeddedSessionMs;

    /// <summary>The session timeout these settings give, in milliseconds.</summary>
    public static int SessionMs => s_sessionMs;

    /// <summary>The consumer settings, for a <see cref="KafkaOptions.Consumer"/> dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Consumer => new Dictionary<string, string>
    {
        ["session.timeout.ms"] = $"{s_sessionMs}",
        ["heartbeat.interval.ms"] = $"{s_sessionMs / 6}",
    };

    /// <summary>The same as a process's configuration (<c>OmniStream:Kafka:Consumer:*</c>).</summary>
    public static IReadOnlyDictionary<string, string> Settings =>
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

    /// <summary>This test run uses Kafka brokers (external or in a container): sessions as long as they accept.</summary>
    internal static void OnKafkaBrokers() => s_sessionMs = KafkaSessionMs;
}
