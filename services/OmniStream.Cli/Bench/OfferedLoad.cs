using System.Diagnostics;
using OmniStream.Channels.Publishing;

namespace OmniStream.Cli.Bench;

/// <summary>
/// Publishes <see cref="BenchTraffic"/> events through the channel SDK, either as fast as the
/// consumer side keeps up with (a bounded backlog, since the embedded brokers keep only the last
/// 5 MB of each partition) or at a fixed rate.
/// </summary>
internal sealed class OfferedLoad(ChannelPublisher publisher, BenchTraffic traffic)
{
    private const int MaxInFlight = 5_000;
    private long _next;

    /// <summary>Events published so far.</summary>
    public long Published => Interlocked.Read(ref _next);

    /// <summary>
    /// Publishes <paramref name="count"/> events, pausing while more than <paramref name="backlog"/>
    /// of them wait to be processed (as <paramref name="processed"/> counts them).
    /// </summary>
    public async Task FloodAsync(long count, Func<long> processed, long backlog, CancellationToken stop)
    {
        var inFlight = new List<Task>(MaxInFlight);
        for (var sent = 0L; sent < count && !stop.IsCancellationRequested; sent++)
        {
            while (sent - processed() > backlog)
            {
                await Task.Delay(1, stop);
            }
            await PublishNextAsync(inFlight);
        }
        await Task.WhenAll(inFlight);
    }

    /// <summary>Publishes <paramref name="rate"/> events per second for <paramref name="duration"/>.</summary>
    public async Task PaceAsync(int rate, TimeSpan duration, CancellationToken stop)
    {
        var inFlight = new List<Task>(MaxInFlight);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (clock.Elapsed < duration && !stop.IsCancellationRequested)
        {
            for (var due = (long)(clock.Elapsed.TotalSeconds * rate); sent < due; sent++)
            {
                await PublishNextAsync(inFlight);
            }
            await Task.Delay(1, stop);
        }
        await Task.WhenAll(inFlight);
    }

    private async Task PublishNextAsync(List<Task> inFlight)
    {
        var index = Interlocked.Increment(ref _next) - 1;
        inFlight.Add(publisher.PublishAsync(traffic.Event(index, DateTime.UtcNow)));
        if (inFlight.Count >= MaxInFlight)
        {
            await Task.WhenAll(inFlight);
            inFlight.Clear();
        }
    }
}
