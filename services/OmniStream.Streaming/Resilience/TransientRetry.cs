using Polly;
using Polly.Retry;

namespace OmniStream.Streaming.Resilience;

/// <summary>The one retry policy of the runtime: bounded, exponential, only for failures said to be transient.</summary>
public static class TransientRetry
{
    /// <summary>A pipeline retrying up to <paramref name="retries"/> times when <paramref name="isTransient"/> holds.</summary>
    public static ResiliencePipeline Create(int retries, Func<Exception, bool> isTransient) =>
        retries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle(isTransient),
                    MaxRetryAttempts = retries,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = TimeSpan.FromMilliseconds(50),
                    UseJitter = true,
                })
                .Build();
}
