namespace OmniStream.Streaming.State;

/// <summary>
/// A task's working states kept in memory between records and commits, within the task's share of a
/// <see cref="CacheBudget"/>, counted in the bytes each state holds on the heap (its owner estimates
/// them). Eviction follows S3-FIFO (Yang et al., SOSP 2023): a new state enters a small queue (a tenth
/// of the share) and reaches the main queue only if read again before it leaves, so a scan of
/// customers seen once does not push out those read often; a state evicted from the small queue and
/// soon read again goes straight to the main queue. A pinned state (changed since the last commit)
/// is never evicted. The owner drops the cache with the task's other memory when a transaction aborts
/// or the task closes, which gives its share back. Not thread-safe: the task's thread uses it.
/// </summary>
/// <typeparam name="T">The working state.</typeparam>
public sealed class WorkingStateCache<T> : IDisposable where T : class
{
    private const int MaxFrequency = 3;
    private readonly CacheBudget _budget;
    private readonly Dictionary<byte[], Entry> _entries = new(ByteArrayComparer.Instance);
    private readonly Queue<Entry> _small = new();
    private readonly Queue<Entry> _main = new();
    private readonly HashSet<byte[]> _ghosts = new(ByteArrayComparer.Instance);
    private readonly Queue<byte[]> _ghostOrder = new();
    private long _smallBytes;
    private bool _disposed;

    /// <summary>A cache that shares <paramref name="budget"/> with the other caches of the store's tasks in this instance.</summary>
    public WorkingStateCache(CacheBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _budget = budget;
        budget.Join();
    }

    /// <summary>The bytes the states held take, as estimated.</summary>
    public long Bytes { get; private set; }

    /// <summary>How many states are held.</summary>
    public int Count => _entries.Count;

    /// <summary>The state held for <paramref name="key"/>; counts a hit or a miss in the budget.</summary>
    public bool TryGet(byte[] key, out T? value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Frequency = Math.Min(MaxFrequency, entry.Frequency + 1);
            value = entry.Value;
            _budget.Hit();
            return true;
        }
        value = null;
        _budget.Miss();
        return false;
    }

    /// <summary>Holds <paramref name="value"/> for <paramref name="key"/> (replacing any), taking <paramref name="size"/> bytes; pinned until <see cref="Unpin"/> when <paramref name="pinned"/>.</summary>
    /// <param name="key">The key; the cache keeps the array, so the caller must not change it.</param>
    /// <param name="value">The state.</param>
    /// <param name="size">The bytes it holds on the heap, as estimated.</param>
    /// <param name="pinned">True for a state changed since the last commit.</param>
    public void Add(byte[] key, T value, long size, bool pinned)
    {
        Remove(key);
        if (_disposed)
        {
            return;
        }
        var toMain = _ghosts.Remove(key);
        var entry = new Entry(key, value, size) { Pinned = pinned, InMain = toMain };
        _entries[key] = entry;
        (toMain ? _main : _small).Enqueue(entry);
        Bytes += size;
        _smallBytes += toMain ? 0 : size;
        Evict();
    }

    /// <summary>Pins the state of <paramref name="key"/> (it changed): it stays until unpinned.</summary>
    public void Pin(byte[] key)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Pinned = true;
        }
    }

    /// <summary>Unpins the state of <paramref name="key"/> (it was written) and records the bytes it now takes.</summary>
    public void Unpin(byte[] key, long size)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Pinned = false;
            Bytes += size - entry.Size;
            _smallBytes += entry.InMain ? 0 : size - entry.Size;
            entry.Size = size;
        }
    }

    /// <summary>Lets go of the state held for <paramref name="key"/>, if any.</summary>
    public void Remove(byte[] key)
    {
        if (_entries.Remove(key, out var entry))
        {
            entry.Removed = true;
            Bytes -= entry.Size;
            _smallBytes -= entry.InMain ? 0 : entry.Size;
        }
    }

    /// <summary>Lets go of states beyond the share, unpinned ones only.</summary>
    public void Evict()
    {
        var share = _budget.Share;
        // States read often go round the main queue a few times, losing a read each time; pinned ones go round
        // and stay. Once every state has gone round that often, nothing more can go.
        var limit = (MaxFrequency + 2) * (_small.Count + _main.Count);
        for (var looked = 0; Bytes > share && looked <= limit;)
        {
            var fromSmall = _main.Count == 0 || (_small.Count > 0 && _smallBytes > share / 10);
            var queue = fromSmall ? _small : _main;
            if (!queue.TryDequeue(out var entry))
            {
                return;
            }
            if (entry.Removed)
            {
                continue;
            }
            looked++;
            if (fromSmall)
            {
                _smallBytes -= entry.Size;
                if (entry.Pinned || entry.Frequency > 0)
                {
                    entry.InMain = true;
                    entry.Frequency = 0;
                    _main.Enqueue(entry);
                }
                else
                {
                    Forget(entry);
                    Remember(entry.Key);
                }
            }
            else if (entry.Pinned || entry.Frequency > 0)
            {
                entry.Frequency = Math.Max(0, entry.Frequency - 1);
                _main.Enqueue(entry);
            }
            else
            {
                Forget(entry);
            }
        }
    }

    /// <summary>Lets go of every state and gives the cache's share back to the budget.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _entries.Clear();
            _small.Clear();
            _main.Clear();
            _ghosts.Clear();
            _ghostOrder.Clear();
            Bytes = _smallBytes = 0;
            _budget.Leave();
        }
    }

    private void Forget(Entry entry)
    {
        _entries.Remove(entry.Key);
        entry.Removed = true;
        Bytes -= entry.Size;
    }

    // Keys evicted from the small queue, about as many as the main queue holds.
    private void Remember(byte[] key)
    {
        if (_ghosts.Add(key))
        {
            _ghostOrder.Enqueue(key);
        }
        while (_ghostOrder.Count > Math.Max(16, _entries.Count) && _ghostOrder.TryDequeue(out var oldest))
        {
            _ghosts.Remove(oldest);
        }
    }

    private sealed class Entry(byte[] key, T value, long size)
    {
        public byte[] Key { get; } = key;

        public T Value { get; } = value;

        public long Size { get; set; } = size;

        public int Frequency { get; set; }

        public bool Pinned { get; set; }

        public bool InMain { get; set; }

        public bool Removed { get; set; }
    }
}
