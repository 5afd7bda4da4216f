using System.Threading.RateLimiting;
using OmniStream.Gateway.Hosting;

namespace OmniStream.Gateway.Ingestion;

/// <summary>
/// Each client's budget of events posted per second (<see cref="GatewayOptions.EventsPerSecondPerClient"/>):
/// a token bucket per client, refilled each second, that holds one second's worth (or one full
/// request, if larger). A request takes as many tokens as it carries events, or none and is refused.
/// </summary>
/// Sources whose key is public have a bucket per caller's address as well (<see cref="GatewayOptions.EventsPerSecondPerAddress"/>).
public sealed class EventRateLimits(GatewayOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _clients = Buckets(options.EventsPerSecondPerClient, options.MaxEventsPerRequest);
    private readonly PartitionedRateLimiter<string> _addresses = Buckets(options.EventsPerSecondPerAddress, options.MaxEventsPerRequest);

    /// <summary>Takes <paramref name="events"/> tokens from <paramref name="client"/>'s bucket; null when taken, else how long to wait before trying again.</summary>
    public TimeSpan? TryTake(string client, int events) => TryTake(_clients, client, events);

    /// <summary>Takes <paramref name="events"/> tokens from the bucket of <paramref name="address"/> within <paramref name="client"/>; as <see cref="TryTake(string, int)"/>.</summary>
    public TimeSpan? TryTakeFromAddress(string client, string address, int events) => TryTake(_addresses, client + " " + address, events);

    /// <inheritdoc />
    public void Dispose()
    {
        _clients.Dispose();
        _addresses.Dispose();
    }

    private static TimeSpan? TryTake(PartitionedRateLimiter<string> limiter, string key, int events)
    {
        using var lease = limiter.AttemptAcquire(key, events);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter
            : TimeSpan.FromSeconds(1);
    }

    private static PartitionedRateLimiter<string> Buckets(int perSecond, int maxRequest) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(perSecond, maxRequest),
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
