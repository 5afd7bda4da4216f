using Microsoft.Extensions.Hosting;
using OmniStream.Streaming.Telemetry;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Ops;

/// <summary>
/// Samples this instance's lag per partition and its throughput every <see cref="OpsOptions.SampleInterval"/>
/// and keeps the last 15 minutes, for the charts of the ops page; builds this instance's view.
/// </summary>
public sealed class OpsHistory(IEnumerable<StreamEngine> engines, StreamingMetrics metrics, OpsTally tally, OpsOptions options, TimeProvider time) : BackgroundService
{
    /// <summary>How far back the charts go.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan LastMinute = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Topic, int Partition), Queue<double[]>> _lags = [];
    private readonly Queue<double[]> _rates = new();
    private readonly Queue<(DateTime At, IReadOnlyDictionary<string, long> Totals)> _totals = new();
    private readonly IReadOnlyList<StreamEngine> _engines = [.. engines];

    /// <summary>Takes one sample now (the service does it every interval).</summary>
    public void Sample()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var at = (double)new DateTimeOffset(now).ToUnixTimeMilliseconds();
        var totals = tally.Totals();
        lock (_lock)
        {
            foreach (var (partition, lag) in metrics.Lags.Current)
            {
                var key = (partition.Topic, partition.Partition.Value);
                if (!_lags.TryGetValue(key, out var samples))
                {
                    _lags[key] = samples = new Queue<double[]>();
                }
                samples.Enqueue([at, lag.Records, Math.Round(lag.Seconds, 3)]);
            }
            if (_totals.Count > 0)
            {
                var last = _totals.Last();
                var seconds = Math.Max(0.001, (now - last.At).TotalSeconds);
                _rates.Enqueue([at,
                    Math.Round((EventsIn(totals) - EventsIn(last.Totals)) / seconds, 1),
                    Math.Round((Sum(totals, OpsTally.Actions) - Sum(last.Totals, OpsTally.Actions)) / seconds, 1)]);
            }
            _totals.Enqueue((now, totals));
            Trim(now);
        }
    }

    /// <summary>This instance's figures now, with the history of the partitions it owns.</summary>
    public OpsInstanceView View(string instance)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var totals = tally.Totals();
        var latency = tally.Latency(LastMinute);
        lock (_lock)
        {
            var minuteAgo = TotalsAt(now - LastMinute);
            var windowAgo = TotalsAt(now - Window);
            var partitions = _engines.SelectMany(engine => metrics.Lags.Current
                    .Where(l => engine.InputTopics.Contains(l.Key.Topic))
                    .Select(l => new OpsPartition(engine.Stage, l.Key.Topic, l.Key.Partition.Value, l.Value.Records, Math.Round(l.Value.Seconds, 3),
                        _lags.TryGetValue((l.Key.Topic, l.Key.Partition.Value), out var samples) ? [.. samples] : [])))
                .OrderBy(p => p.Stage, StringComparer.Ordinal).ThenBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition)
                .ToList();
            var deadLetters = totals.Where(t => t.Key.StartsWith(OpsTally.DeadLetters + "/", StringComparison.Ordinal))
                .Select(t =>
                {
                    var parts = t.Key.Split('/', 3);
                    return new OpsDeadLetters(parts[1], parts[2], t.Value - minuteAgo.GetValueOrDefault(t.Key), t.Value);
                })
                .OrderByDescending(d => d.PerMinute).ThenByDescending(d => d.Total).ToList();
            var rate = _rates.TryPeek(out _) ? _rates.Last() : [0, 0, 0];
            return new OpsInstanceView(instance, now, [.. _engines.Select(Stage)], partitions,
                new OpsRates(rate[1], rate[2], [.. _rates]),
                new OpsLatency(latency.P50, latency.P99, latency.Count),
                deadLetters,
                Count(totals, windowAgo, OpsTally.Rebalances),
                Count(totals, windowAgo, OpsTally.Aborts));
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SampleInterval, time);
        Sample();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            Sample();
        }
    }

    private OpsStage Stage(StreamEngine engine)
    {
        bool Mine(string shard) => engine.StoreNames.Contains(shard.Split('/', 2)[0]);
        var remaining = metrics.RestoreRemaining.Where(r => Mine(r.Key)).Sum(r => r.Value);
        var applied = metrics.RestoreApplied.Where(r => Mine(r.Key)).Sum(r => r.Value);
        return new OpsStage(engine.Stage, engine.Status, engine.Failure, remaining, applied, engine.AssignedPartitions, engine.InputPartitions, engine.InputTopics);
    }

    private double EventsIn(IReadOnlyDictionary<string, long> totals) =>
        _engines.Where(e => e.Stage == WorkerTopology.IngestStage).SelectMany(e => e.InputTopics).Sum(topic => Sum(totals, $"{OpsTally.RecordsIn}/{topic}"));

    private static long Sum(IReadOnlyDictionary<string, long> totals, string key) => totals.GetValueOrDefault(key);

    private static OpsCount Count(IReadOnlyDictionary<string, long> totals, IReadOnlyDictionary<string, long> before, string key) =>
        new(Sum(totals, key) - Sum(before, key), Sum(totals, key));

    // The totals of the oldest sample no older than the given time: the start of the window's count.
    private IReadOnlyDictionary<string, long> TotalsAt(DateTime since) =>
        _totals.FirstOrDefault(t => t.At >= since).Totals ?? new Dictionary<string, long>();

    private void Trim(DateTime now)
    {
        var oldest = (double)new DateTimeOffset(now - Window).ToUnixTimeMilliseconds();
        foreach (var (key, samples) in _lags.ToList())
        {
            while (samples.TryPeek(out var sample) && sample[0] < oldest)
            {
                samples.Dequeue();
            }
            if (samples.Count == 0)
            {
                _lags.Remove(key);
            }
        }
        while (_rates.TryPeek(out var sample) && sample[0] < oldest)
        {
            _rates.Dequeue();
        }
        while (_totals.TryPeek(out var sample) && sample.At < now - Window - LastMinute)
        {
            _totals.Dequeue();
        }
    }
}
