using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OmniStream.Streaming.Telemetry;
using OmniStream.Worker.Telemetry;

namespace OmniStream.Worker.Ops;

/// <summary>
/// Listens to this process's own instruments (the same ones Prometheus scrapes) and keeps what the
/// ops page shows: running totals by series, and the event→action latencies of the last minute.
/// </summary>
public sealed class OpsTally : IDisposable
{
    /// <summary>Records consumed, by topic: <c>in/&lt;topic&gt;</c>.</summary>
    public const string RecordsIn = "in";

    /// <summary>Next best actions emitted.</summary>
    public const string Actions = "actions";

    /// <summary>Records dead-lettered, by source topic and error class: <c>dead/&lt;topic&gt;/&lt;error&gt;</c>.</summary>
    public const string DeadLetters = "dead";

    /// <summary>Partitions assigned, revoked or lost.</summary>
    public const string Rebalances = "rebalances";

    /// <summary>Transactions aborted and replayed.</summary>
    public const string Aborts = "aborts";

    private const int LatencyCapacity = 8192;
    private readonly MeterListener _listener = new();
    // Keyed without building a string: the callbacks run once per record on the stages' threads.
    private readonly ConcurrentDictionary<(string Series, string Topic, string Error), long> _totals = new();
    private readonly (long At, double Ms)[] _latencies = new (long, double)[LatencyCapacity];
    private readonly Lock _latencyLock = new();
    private readonly TimeProvider _time;
    private long _latencyCount;

    /// <summary>Starts listening to the instruments of <paramref name="streaming"/> and <paramref name="decisions"/> (not to other instances' meters of the same name in this process).</summary>
    public OpsTally(StreamingMetrics streaming, DecisionMetrics decisions, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(streaming);
        ArgumentNullException.ThrowIfNull(decisions);
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if ((instrument.Meter == streaming.Meter || instrument.Meter == decisions.Meter) && SeriesOf(instrument) is { } series)
            {
                listener.EnableMeasurementEvents(instrument, series);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, series) => Add((string)series!, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => RecordLatency(value));
        _listener.Start();
    }

    /// <summary>Every total so far, by series name.</summary>
    public IReadOnlyDictionary<string, long> Totals() => _totals.ToDictionary(e => e.Key.Series switch
    {
        RecordsIn => $"{RecordsIn}/{e.Key.Topic}",
        DeadLetters => $"{DeadLetters}/{e.Key.Topic}/{e.Key.Error}",
        _ => e.Key.Series,
    }, e => e.Value);

    /// <summary>The 50th and 99th percentiles (ms) of the latencies recorded within <paramref name="window"/>, and how many there were.</summary>
    public (double? P50, double? P99, int Count) Latency(TimeSpan window)
    {
        var since = (_time.GetUtcNow() - window).UtcTicks;
        List<double> recent;
        lock (_latencyLock)
        {
            var count = (int)Math.Min(_latencyCount, LatencyCapacity);
            recent = [.. _latencies.Take(count).Where(l => l.At >= since).Select(l => l.Ms)];
        }
        if (recent.Count == 0)
        {
            return (null, null, 0);
        }
        recent.Sort();
        return (Percentile(recent, 0.50), Percentile(recent, 0.99), recent.Count);
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    // Nearest rank, as the demo and the bench compute theirs.
    private static double Percentile(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string? SeriesOf(Instrument instrument) => (instrument.Meter.Name, instrument.Name) switch
    {
        (StreamingMetrics.MeterName, "omnistream.streaming.records_in") => RecordsIn,
        (StreamingMetrics.MeterName, "omnistream.streaming.dead_letters") => DeadLetters,
        (StreamingMetrics.MeterName, "omnistream.streaming.rebalances") => Rebalances,
        (StreamingMetrics.MeterName, "omnistream.streaming.transactions_aborted") => Aborts,
        (DecisionMetrics.MeterName, "omnistream.decisions.actions") => Actions,
        (DecisionMetrics.MeterName, "omnistream.decisions.trigger_to_action") => "latency",
        _ => null,
    };

    private void Add(string series, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = series switch
        {
            RecordsIn => (series, Tag(tags, "topic"), ""),
            DeadLetters => (series, Tag(tags, "topic"), Tag(tags, "error")),
            _ => (series, "", ""),
        };
        _totals.AddOrUpdate(key, static (_, added) => added, static (_, total, added) => total + added, value);
    }

    private void RecordLatency(double ms)
    {
        lock (_latencyLock)
        {
            _latencies[_latencyCount % LatencyCapacity] = (_time.GetUtcNow().UtcTicks, ms);
            _latencyCount++;
        }
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? "";
            }
        }
        return "";
    }
}
