namespace OmniStream.Streaming.State;

/// <summary>
/// Values of a store kept decoded in memory, the most recently used first, within a share of a
/// <see cref="CacheBudget"/> counted in the bytes they were decoded from (or encoded to): a key read
/// again does not cost a store read and a decoding. The owner keeps it equal to the store (it puts,
/// replaces and removes what it writes) and disposes of it with the task's other memory when a
/// transaction aborts or the task closes, which gives its share back. Not thread-safe: a task's
/// thread uses it.
/// </summary>
/// <typeparam name="T">The decoded value, immutable: every reader gets the same instance.</typeparam>
public sealed class DecodedValueCache<T> : IDisposable where T : class
{
    private readonly CacheBudget _budget;
    private bool _disposed;

    /// <summary>A cache that shares <paramref name="budget"/> with the other caches of the store's tasks in this instance.</summary>
    public DecodedValueCache(CacheBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _budget = budget;
        budget.Join();
    }

    /// <summary>A cache with a budget of its own.</summary>
    public DecodedValueCache(long budgetBytes) : this(new CacheBudget(budgetBytes))
    {
    }

    private readonly Dictionary<byte[], LinkedListNode<Entry>> _entries = new(ByteArrayComparer.Instance);
    private readonly LinkedList<Entry> _recentFirst = new();

    /// <summary>The bytes the held values were decoded from.</summary>
    public long Bytes { get; private set; }

    /// <summary>How many values are held.</summary>
    public int Count => _entries.Count;

    /// <summary>The value held for <paramref name="key"/>, which becomes the most recently used.</summary>
    public bool TryGet(byte[] key, out T? value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recentFirst.Remove(node);
            _recentFirst.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>Holds <paramref name="value"/> for <paramref name="key"/>, replacing any, then lets go of the least recently used values beyond the budget.</summary>
    /// <param name="key">The key; the cache keeps the array, so the caller must not change it.</param>
    /// <param name="value">The decoded value.</param>
    /// <param name="size">The bytes it was decoded from or encoded to.</param>
    public void Set(byte[] key, T value, int size)
    {
        Remove(key);
        var share = _budget.Share;
        if (size > share || _disposed)
        {
            return;
        }
        _entries[key] = _recentFirst.AddFirst(new Entry(key, value, size));
        Bytes += size;
        while (Bytes > share && _recentFirst.Last is { } oldest)
        {
            Remove(oldest.Value.Key);
        }
    }

    /// <summary>Lets go of the value held for <paramref name="key"/>, if any.</summary>
    public void Remove(byte[] key)
    {
        if (_entries.Remove(key, out var node))
        {
            _recentFirst.Remove(node);
            Bytes -= node.Value.Size;
        }
    }

    /// <summary>Lets go of every value and gives the cache's share back to the budget.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _entries.Clear();
            _recentFirst.Clear();
            Bytes = 0;
            _budget.Leave();
        }
    }

    private sealed record Entry(byte[] Key, T Value, int Size);
}
