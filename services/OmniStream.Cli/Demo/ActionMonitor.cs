using System.Collections.Concurrent;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Demo;

/// <summary>What a channel backend sees: every action received, its trigger→receipt latency, the latest few.</summary>
internal sealed class ActionMonitor
{
    private const int Latest = 50;
    private readonly List<double> _latenciesMs = [];
    private readonly ConcurrentQueue<NextBestAction> _latest = new();
    private long _received;

    public long Received => Interlocked.Read(ref _received);

    public ValueTask OnActionAsync(NextBestAction action, CancellationToken cancellationToken)
    {
        var latency = (DateTime.UtcNow - action.triggeredAt).TotalMilliseconds;
        lock (_latenciesMs)
        {
            _latenciesMs.Add(latency);
        }
        _latest.Enqueue(action);
        while (_latest.Count > Latest && _latest.TryDequeue(out _))
        {
        }
        Interlocked.Increment(ref _received);
        return ValueTask.CompletedTask;
    }

    /// <summary>The latency at percentile <paramref name="p"/> (0 to 100), in ms; 0 before any action.</summary>
    public double LatencyPercentile(double p)
    {
        double[] sorted;
        lock (_latenciesMs)
        {
            sorted = [.. _latenciesMs];
        }
        if (sorted.Length == 0)
        {
            return 0;
        }
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>Up to <paramref name="count"/> of the latest actions, newest last.</summary>
    public IReadOnlyList<NextBestAction> LatestActions(int count) => _latest.TakeLast(count).ToList();
}
