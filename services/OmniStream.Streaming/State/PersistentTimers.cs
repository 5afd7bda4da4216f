using System.Buffers.Binary;

namespace OmniStream.Streaming.State;

/// <summary>
/// Timers kept in a task's store, so they survive restarts and move with the task: at most one
/// pending time per key, taken in due order. Layout: <c>d</c> + due (8 bytes, big-endian ticks) +
/// key → key, ordered by due time; and <c>k</c> + key → due, to move or cancel a key's timer.
/// Writes go through the store, so they commit (or abort) with the task's transaction.
/// Keep one instance per store (<see cref="Tasks.ITaskContext.Local{T}"/>): it remembers up to
/// when timers were taken, so that a tick with nothing due costs no read, and a scan starts past
/// the deletions of timers already taken (RocksDB would otherwise step over each of them again).
/// Writes through another instance are not seen by it.
/// </summary>
public sealed class PersistentTimers(IKeyValueStore store)
{
    private const byte ByDue = (byte)'d';
    private const byte ByKey = (byte)'k';
    private long _scanFrom;

    /// <summary>Sets (or moves) the timer of <paramref name="key"/> to <paramref name="due"/>.</summary>
    public void Schedule(byte[] key, DateTime due)
    {
        ArgumentNullException.ThrowIfNull(key);
        var ticks = due.ToUniversalTime().Ticks;
        if (store.Find(Prefixed(ByKey, key)) is { } known && BinaryPrimitives.ReadInt64BigEndian(known) == ticks)
        {
            // Unchanged: rewriting it would only add changelog records.
            return;
        }
        Cancel(key);
        _scanFrom = Math.Min(_scanFrom, ticks);
        store.Put(DueKey(ticks, key), key);
        store.Put(Prefixed(ByKey, key), Ticks(ticks));
    }

    /// <summary>Removes the timer of <paramref name="key"/>, if any.</summary>
    public void Cancel(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var byKey = Prefixed(ByKey, key);
        if (store.Find(byKey) is { } ticks)
        {
            store.Delete(DueKey(BinaryPrimitives.ReadInt64BigEndian(ticks), key));
            store.Delete(byKey);
        }
    }

    /// <summary>When the timer of <paramref name="key"/> is due, if it has one.</summary>
    public DateTime? DueAt(byte[] key) =>
        store.Find(Prefixed(ByKey, key)) is { } ticks ? new DateTime(BinaryPrimitives.ReadInt64BigEndian(ticks), DateTimeKind.Utc) : null;

    /// <summary>Removes and returns, earliest first, up to <paramref name="max"/> keys due by <paramref name="now"/>.</summary>
    public List<byte[]> TakeDue(DateTime now, int max = 1_000)
    {
        var until = now.ToUniversalTime().Ticks;
        if (_scanFrom > until)
        {
            return [];
        }
        var due = store.Scan(DueKey(_scanFrom, []), DueKey(until + 1, [])).Take(max).ToList();
        foreach (var (_, key) in due)
        {
            Cancel(key);
        }
        // When the batch was full, timers due at the last one's time may remain.
        _scanFrom = due.Count < max ? until + 1 : BinaryPrimitives.ReadInt64BigEndian(due[^1].Key.AsSpan(1));
        return due.Select(entry => entry.Value).ToList();
    }

    private static byte[] DueKey(long ticks, byte[] key)
    {
        var bytes = new byte[1 + sizeof(long) + key.Length];
        bytes[0] = ByDue;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), ticks);
        key.CopyTo(bytes, 1 + sizeof(long));
        return bytes;
    }

    private static byte[] Prefixed(byte prefix, byte[] key) => [prefix, .. key];

    private static byte[] Ticks(long ticks)
    {
        var bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, ticks);
        return bytes;
    }
}
