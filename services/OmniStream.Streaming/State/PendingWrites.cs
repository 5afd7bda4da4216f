namespace OmniStream.Streaming.State;

/// <summary>
/// A store shard's writes waiting for their transaction to commit: the last write of each key (null
/// for a delete), also kept in key order once a range is read, so that range reads find the ones in
/// their range without walking them all (a commit interval under load holds thousands, and a
/// customer's parts are read by range). The order is built at the first range read of a commit
/// interval, not per write: most intervals of the customers store read no range. <see cref="Over"/>
/// lays them over the committed entries of a range.
/// </summary>
public sealed class PendingWrites
{
    private readonly Dictionary<byte[], byte[]?> _byKey = new(ByteArrayComparer.Instance);
    private readonly SortedSet<byte[]> _inOrder = new(ByteArrayComparer.Instance);
    // Whether _inOrder holds every key written (it is filled at the first range read after a clear).
    private bool _ordered;

    /// <summary>How many keys were written.</summary>
    public int Count => _byKey.Count;

    /// <summary>The last write of each key (null for a delete).</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]?>> All => _byKey;

    /// <summary>Whether <paramref name="key"/> was written, and its pending value (null: deleted).</summary>
    public bool TryGet(byte[] key, out byte[]? value) => _byKey.TryGetValue(key, out value);

    /// <summary>Writes <paramref name="value"/> (null: a delete) under <paramref name="key"/>.</summary>
    public void Set(byte[] key, byte[]? value)
    {
        _byKey[key] = value;
        if (_ordered)
        {
            _inOrder.Add(key);
        }
    }

    /// <summary>Forgets every write (after its transaction committed or aborted).</summary>
    public void Clear()
    {
        _byKey.Clear();
        _inOrder.Clear();
        _ordered = false;
    }

    /// <summary>
    /// The entries with <paramref name="fromInclusive"/> ≤ key &lt; <paramref name="toExclusive"/>, in key
    /// order: <paramref name="committed"/> (that range of the committed entries, in key order) with the
    /// pending writes laid over it.
    /// </summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Over(IEnumerable<KeyValuePair<byte[], byte[]>> committed, byte[] fromInclusive, byte[] toExclusive)
    {
        ArgumentNullException.ThrowIfNull(committed);
        var comparer = ByteArrayComparer.Instance;
        Order();
        List<KeyValuePair<byte[], byte[]?>> pending = _inOrder.Count == 0 || comparer.Compare(fromInclusive, toExclusive) >= 0
            ? []
            : [.. _inOrder.GetViewBetween(fromInclusive, toExclusive)
                .Where(key => comparer.Compare(key, toExclusive) < 0)
                .Select(key => KeyValuePair.Create(key, _byKey[key]))];
        return pending.Count == 0 ? committed : Merge(committed, pending);
    }

    private void Order()
    {
        if (!_ordered)
        {
            _inOrder.UnionWith(_byKey.Keys);
            _ordered = true;
        }
    }

    private static IEnumerable<KeyValuePair<byte[], byte[]>> Merge(IEnumerable<KeyValuePair<byte[], byte[]>> committed, List<KeyValuePair<byte[], byte[]?>> pending)
    {
        var comparer = ByteArrayComparer.Instance;
        var next = 0;
        foreach (var entry in committed)
        {
            for (; next < pending.Count && comparer.Compare(pending[next].Key, entry.Key) <= 0; next++)
            {
                if (pending[next].Value is { } value)
                {
                    yield return new(pending[next].Key, value);
                }
            }
            var overridden = next > 0 && comparer.Compare(pending[next - 1].Key, entry.Key) == 0;
            if (!overridden)
            {
                yield return entry;
            }
        }
        for (; next < pending.Count; next++)
        {
            if (pending[next].Value is { } value)
            {
                yield return new(pending[next].Key, value);
            }
        }
    }
}
