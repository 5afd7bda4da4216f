namespace OmniStream.Streaming.State;

/// <summary>
/// The memory an instance gives to the decoded values of one store, shared by the tasks that own its
/// shards here: each task's cache keeps within an equal share, which grows when the instance owns
/// fewer partitions and shrinks when it takes more; it counts their hits and misses. Thread-safe.
/// </summary>
/// <param name="bytes">The instance's budget, in bytes of the values' stored form.</param>
public sealed class CacheBudget(long bytes)
{
    private int _holders;
    private long _hits;
    private long _misses;

    /// <summary>The instance's budget.</summary>
    public long Bytes => bytes;

    /// <summary>How many caches share it now.</summary>
    public int Holders => Volatile.Read(ref _holders);

    /// <summary>What each cache may hold now.</summary>
    public long Share => bytes / Math.Max(1, Holders);

    /// <summary>Reads that found their value in a cache of this budget, since start.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Reads that did not.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The share of reads that found their value in memory, since start (1 before any read).</summary>
    public double HitRate => Hits + Misses is var reads and > 0 ? (double)Hits / reads : 1;

    internal void Hit() => Interlocked.Increment(ref _hits);

    internal void Miss() => Interlocked.Increment(ref _misses);

    internal void Join() => Interlocked.Increment(ref _holders);

    internal void Leave() => Interlocked.Decrement(ref _holders);
}
