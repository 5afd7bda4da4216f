using System.Threading.RateLimiting;
using OmniStream.Gateway.Hosting;

namespace OmniStream.Gateway.Ingestion;

/// <summary>
/// Each client's budget of events posted per second (<see cref="GatewayOptions.EventsPerSecondPerClient"/>):
/// a token bucket per client, refilled each second, that holds one second's worth (or one full
/// request, if larger). A request takes as many tokens as it carries events, or none and is refused.
/// </summary>
public sealed class EventRateLimits(GatewayOptions options) : IDisposable
{

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(options.EventsPerSecondPerClient, options.MaxEventsPerRequest),
            TokensPerPeriod = options.EventsPerSecondPerClient,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Takes <paramref name="events"/> tokens from <paramref name="client"/>'s bucket; null when taken, else how long to wait before trying again.</summary>
    public TimeSpan? TryTake(string client, int events)
    {
        using var lease = _limiter.AttemptAcquire(client, events);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter
            : TimeSpan.FromSeconds(1);
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
