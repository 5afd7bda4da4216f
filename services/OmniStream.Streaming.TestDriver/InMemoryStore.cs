using OmniStream.Streaming.State;

namespace OmniStream.Streaming.TestDriver;

/// <summary>
/// A store shard in memory, with the engine's semantics: writes pending until commit, range reads
/// in key order (unsigned bytes, as RocksDB orders them), committed reads apart. Not thread-safe:
/// the driver runs on one thread.
/// </summary>
/// <param name="name">The store's name.</param>
public sealed class InMemoryStore(string name) : IStoreShard
{
    private readonly Dictionary<byte[], byte[]> _committed = new(ByteArrayComparer.Instance);
    private readonly SortedSet<byte[]> _committedKeys = new(ByteArrayComparer.Instance);
    private readonly PendingWrites _pending = new();

    /// <inheritdoc />
    public string Name => name;

    /// <summary>The next changelog offset the shard has not applied; null before its first commit.</summary>
    public long? Checkpoint { get; private set; }

    /// <summary>How many committed keys it holds.</summary>
    public int Count => _committed.Count;

    /// <inheritdoc />
    public int PendingWrites => _pending.Count;

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<byte[], byte[]?>> Pending => _pending.All;

    /// <inheritdoc />
    public byte[]? Find(byte[] key) => _pending.TryGet(key, out var pending) ? pending : _committed.GetValueOrDefault(key);

    /// <inheritdoc />
    public void Put(byte[] key, byte[] value) => _pending.Set(key, value);

    /// <inheritdoc />
    public void Delete(byte[] key) => _pending.Set(key, null);

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] fromInclusive, byte[] toExclusive) =>
        _pending.Over(CommittedRange(fromInclusive, toExclusive), fromInclusive, toExclusive);

    /// <inheritdoc />
    public void Commit(long checkpoint)
    {
        foreach (var (key, value) in _pending.All)
        {
            if (value is null)
            {
                _committed.Remove(key);
                _committedKeys.Remove(key);
            }
            else
            {
                _committed[key] = value;
                _committedKeys.Add(key);
            }
        }
        _pending.Clear();
        Checkpoint = checkpoint;
    }

    /// <inheritdoc />
    public void Abort() => _pending.Clear();

    /// <inheritdoc />
    public byte[]? FindCommitted(byte[] key) => _committed.GetValueOrDefault(key);

    /// <inheritdoc />
    public (byte[]? Value, List<KeyValuePair<byte[], byte[]>> Parts) FindCommittedWithParts(byte[] key)
    {
        var value = FindCommitted(key);
        return (value, value is null ? [] : [.. CommittedRange(KeyParts.Prefix(key), KeyParts.End(key))]);
    }

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<byte[], byte[]>> ScanCommitted() => _committedKeys.Select(key => KeyValuePair.Create(key, _committed[key]));

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private IEnumerable<KeyValuePair<byte[], byte[]>> CommittedRange(byte[] fromInclusive, byte[] toExclusive)
    {
        var comparer = ByteArrayComparer.Instance;
        if (comparer.Compare(fromInclusive, toExclusive) >= 0)
        {
            return [];
        }
        return _committedKeys.GetViewBetween(fromInclusive, toExclusive)
            .Where(key => comparer.Compare(key, toExclusive) < 0)
            .Select(key => KeyValuePair.Create(key, _committed[key]));
    }
}
