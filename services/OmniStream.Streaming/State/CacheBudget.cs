namespace OmniStream.Streaming.State;

/// <summary>
/// The memory an instance gives to the decoded values of one store, shared by the tasks that own its
/// shards here: each task's cache keeps within an equal share, which grows when the instance owns
/// fewer partitions and shrinks when it takes more. Thread-safe.
/// </summary>
/// <param name="bytes">The instance's budget, in bytes of the values' stored form.</param>
public sealed class CacheBudget(long bytes)
{
    private int _holders;

    /// <summary>The instance's budget.</summary>
    public long Bytes => bytes;

    /// <summary>How many caches share it now.</summary>
    public int Holders => Volatile.Read(ref _holders);

    /// <summary>What each cache may hold now.</summary>
    public long Share => bytes / Math.Max(1, Holders);

    internal void Join() => Interlocked.Increment(ref _holders);

    internal void Leave() => Interlocked.Decrement(ref _holders);
}
