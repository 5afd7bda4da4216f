namespace OmniStream.Kafka;

/// <summary>
/// The waits of a loop that retries a dependency until it answers: from <c>first</c>, doubling up to
/// <c>longest</c>; <see cref="Reset"/> after a success. Not thread-safe: one per loop.
/// </summary>
public sealed class Backoff(TimeSpan first, TimeSpan longest)
{
    private TimeSpan? _waited;

    /// <summary>The next wait; the one after it is twice as long, up to the longest.</summary>
    public TimeSpan Next()
    {
        var wait = _waited is { } last ? (last * 2 < longest ? last * 2 : longest) : first;
        _waited = wait;
        return wait;
    }

    /// <summary>The dependency answered: the next wait is the first again.</summary>
    public void Reset() => _waited = null;
}
