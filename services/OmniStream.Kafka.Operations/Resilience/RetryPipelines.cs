using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace OmniStream.Kafka.Operations.Resilience;

/// <summary>
/// OmniStream's Polly pipelines, built in one place so that every retry is alike: bounded, exponential from a first
/// delay, with jitter, only for the failures the caller says are worth another try.
/// </summary>
public static class RetryPipelines
{
    /// <summary>The first wait of <see cref="Transient"/>.</summary>
    public static readonly TimeSpan TransientDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>Retries an operation up to <paramref name="retries"/> times when <paramref name="isTransient"/> holds (a stage's handling of a record).</summary>
    public static ResiliencePipeline Transient(int retries, Func<Exception, bool> isTransient) =>
        retries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                Delay = TransientDelay,
                BackoffType = Backoff,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle(isTransient),
            }).Build();

    /// <summary>
    /// A call to another service (a webhook): up to <paramref name="attempts"/> tries, each within <paramref name="timeout"/>,
    /// retried on <paramref name="failure"/>; after <paramref name="failuresToBreak"/> failed calls in a row the circuit opens
    /// for <paramref name="breakDuration"/> (calls then fail at once with <see cref="BrokenCircuitException"/>).
    /// </summary>
    public static ResiliencePipeline<T> Call<T>(int attempts, TimeSpan firstDelay, TimeSpan timeout, int failuresToBreak, TimeSpan breakDuration,
        PredicateBuilder<T> failure) =>
        new ResiliencePipelineBuilder<T>()
            .AddRetry(Retry(attempts - 1, firstDelay, failure))
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<T>
            {
                FailureRatio = 1.0,
                MinimumThroughput = failuresToBreak,
                // Long enough to count the calls that each ran into the timeout.
                SamplingDuration = timeout * failuresToBreak + TimeSpan.FromSeconds(30),
                BreakDuration = breakDuration,
                ShouldHandle = failure,
            })
            .AddTimeout(timeout)
            .Build();

    private const DelayBackoffType Backoff = DelayBackoffType.Exponential;

    private static RetryStrategyOptions<T> Retry<T>(int retries, TimeSpan firstDelay, PredicateBuilder<T> failure) => new()
    {
        MaxRetryAttempts = retries,
        Delay = firstDelay,
        BackoffType = Backoff,
        UseJitter = true,
        ShouldHandle = failure,
    };
}
