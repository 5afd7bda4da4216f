using Microsoft.Extensions.Logging;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// A stage's pause while a service it needs (the Schema Registry) does not answer: each failed transaction waits a little
/// longer before it is replayed (0.2 s, doubling up to 10 s); past the bound the stage fails; a commit that goes through ends it.
/// </summary>
internal sealed partial class DependencyPause(string stage, TimeSpan bound, TimeProvider time, ILogger logger)
{
    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
    private DateTimeOffset? _downSince;

    /// <summary>Waits before the failed transaction is replayed.</summary>
    /// <exception cref="InvalidOperationException">The dependency has not answered for longer than the bound: the stage fails.</exception>
    public async Task WaitAsync(Exception error, CancellationToken stop)
    {
        var down = _downSince ??= time.GetUtcNow();
        if (time.GetUtcNow() - down > bound)
        {
            throw new InvalidOperationException($"a dependency did not answer for more than {bound} (OmniStream:Stream:MaxBrokerOutage): {error.Message}", error);
        }
        var wait = _backoff.Next();
        LogPaused(logger, stage, error.Message, wait);
        await Task.Delay(wait, time, stop).ConfigureAwait(false);
    }

    /// <summary>A commit went through: the dependency answers again.</summary>
    public void Committed()
    {
        if (_downSince is null)
        {
            return;
        }
        _downSince = null;
        _backoff.Reset();
        LogResumed(logger, stage);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stage {Stage} paused, nothing set aside: {Reason}; its transaction is replayed in {Wait}")]
    private static partial void LogPaused(ILogger logger, string stage, string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage} resumed: the dependency answers again")]
    private static partial void LogResumed(ILogger logger, string stage);
}
