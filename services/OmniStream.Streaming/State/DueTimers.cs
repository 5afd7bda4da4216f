using System.Buffers.Binary;

namespace OmniStream.Streaming.State;

/// <summary>
/// Timers kept in a task's store, so they survive restarts and move with the task: at most one per
/// key, taken in due order. Layout: <c>d</c> + due (8 bytes, big-endian ticks) + key → key. The
/// owner knows each key's stored time (it keeps it with the key's own state), so setting, moving or
/// cancelling a timer reads nothing; changes live in memory until <see cref="Flush"/> writes them,
/// once per commit, as net changes: a timer set and taken within one commit writes nothing, a timer
/// moved twice writes one move. Keep one instance per task (<see cref="Tasks.ITaskContext.Local{T}"/>),
/// dropped with the task's memory when a transaction aborts. Not thread-safe.
/// </summary>
public sealed class DueTimers(IKeyValueStore store)
{
    private const byte ByDue = (byte)'d';

    // Keys whose timer changed since the last flush: what the store holds, what it should hold.
    private readonly Dictionary<byte[], Change> _changes = new(ByteArrayComparer.Instance);
    private readonly PriorityQueue<byte[], long> _inMemory = new();
    // TakeDue's and Flush's lists, made once.
    private readonly List<(long Ticks, byte[] Key)> _due = [];
    private readonly List<byte[]> _taken = [];
    private readonly List<(byte[] Key, DateTime? Due)> _written = [];
    private static readonly Comparison<(long Ticks, byte[] Key)> EarliestFirst =
        static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : ByteArrayComparer.Instance.Compare(a.Key, b.Key);
    private long _scanFrom;
    // The earliest time a stored timer is due at or after _scanFrom, when known: ticks before it read nothing.
    private long? _nextStored;

    /// <summary>The layout's index from key to due time, written by earlier versions (<c>k</c> + key → 8 bytes of big-endian ticks): read and deleted by owners that meet it.</summary>
    public static byte[] LegacyIndexKey(byte[] key) => [(byte)'k', .. key];

    /// <summary>The key whose timer a key of the timers' store is (<c>d</c> + due + key, or the legacy <c>k</c> + key); null for none.</summary>
    public static byte[]? TimerKeyOf(byte[] storeKey) => storeKey switch
    {
        [ByDue, _, _, _, _, _, _, _, _, _, ..] => storeKey[(1 + sizeof(long))..],
        [(byte)'k', _, ..] => storeKey[1..],
        _ => null,
    };

    /// <summary>Reads the ticks of a <see cref="LegacyIndexKey"/> value.</summary>
    public static DateTime LegacyIndexTime(ReadOnlySpan<byte> value) => new(BinaryPrimitives.ReadInt64BigEndian(value), DateTimeKind.Utc);

    /// <summary>
    /// The timer of <paramref name="key"/>, stored at <paramref name="stored"/> (null: none), is now
    /// due at <paramref name="due"/> (null: cancelled).
    /// </summary>
    public void Set(byte[] key, DateTime? stored, DateTime? due)
    {
        ArgumentNullException.ThrowIfNull(key);
        var target = Ticks(due);
        var known = _changes.TryGetValue(key, out var change);
        if (known ? change.Due == target : Ticks(stored) == target)
        {
            return;
        }
        _changes[key] = new Change(known ? change.Stored : Ticks(stored), target);
        if (target is { } ticks)
        {
            _inMemory.Enqueue(key, ticks);
        }
    }

    /// <summary>When the timer of <paramref name="key"/>, stored at <paramref name="stored"/>, is due now.</summary>
    public DateTime? DueAt(byte[] key, DateTime? stored) =>
        _changes.TryGetValue(key, out var change) ? Time(change.Due) : stored;

    /// <summary>
    /// Removes and returns, earliest first (keys in byte order at the same time), up to <paramref name="max"/> keys due by
    /// <paramref name="now"/>: in one list the timers keep, valid until the next call (a tick takes some at every commit).
    /// </summary>
    public List<byte[]> TakeDue(DateTime now, int max = 1_000)
    {
        var until = now.ToUniversalTime().Ticks;
        var due = _due;
        due.Clear();
        while (due.Count < max && _inMemory.TryPeek(out var key, out var ticks) && ticks <= until)
        {
            _inMemory.Dequeue();
            if (_changes.TryGetValue(key, out var change) && change.Due == ticks)
            {
                _changes[key] = change with { Due = null };
                due.Add((ticks, key));
            }
        }
        if (_scanFrom <= until && !(_nextStored > until) && due.Count < max)
        {
            var full = false;
            _nextStored = long.MaxValue;
            List<byte[]>? stray = null;
            foreach (var (dueKey, key) in store.Scan(DueKey(_scanFrom, []), DueKey(long.MaxValue, [])))
            {
                if (dueKey.Length < 1 + sizeof(long))
                {
                    // No timer (a stray write to the changelog): dropped, so that it cannot stop every tick that meets it.
                    (stray ??= []).Add(dueKey);
                    continue;
                }
                var ticks = BinaryPrimitives.ReadInt64BigEndian(dueKey.AsSpan(1));
                if (ticks > until)
                {
                    // Not due yet: the next tick needs no read before this one's time.
                    _nextStored = ticks;
                    break;
                }
                // A timer changed since the last flush is the in-memory one: its stored entry is superseded.
                if (_changes.TryAdd(key, new Change(ticks, null)))
                {
                    due.Add((ticks, key));
                    if (due.Count >= max)
                    {
                        // Timers due at this one's time may remain: the next scan starts there.
                        _scanFrom = ticks;
                        _nextStored = null;
                        full = true;
                        break;
                    }
                }
            }
            if (!full)
            {
                _scanFrom = until + 1;
            }
            stray?.ForEach(store.Delete);
        }
        due.Sort(EarliestFirst);
        _taken.Clear();
        foreach (var (_, key) in due)
        {
            _taken.Add(key);
        }
        return _taken;
    }

    /// <summary>
    /// Writes what changed since the last flush, where the store's timer differs from the key's
    /// timer now; returns each such key with the time now stored (null: none), for its owner to keep
    /// (the list is the timers' own, valid until the next flush).
    /// </summary>
    public List<(byte[] Key, DateTime? Due)> Flush()
    {
        var written = _written;
        written.Clear();
        foreach (var (key, change) in _changes)
        {
            if (change.Stored == change.Due)
            {
                continue;
            }
            if (change.Stored is { } stored)
            {
                store.Delete(DueKey(stored, key));
            }
            if (change.Due is { } due)
            {
                store.Put(DueKey(due, key), key);
                _scanFrom = Math.Min(_scanFrom, due);
                _nextStored = _nextStored is { } next ? Math.Min(next, due) : null;
            }
            written.Add((key, Time(change.Due)));
        }
        _changes.Clear();
        _inMemory.Clear();
        return written;
    }

    private static long? Ticks(DateTime? time) => time?.ToUniversalTime().Ticks;

    private static DateTime? Time(long? ticks) => ticks is { } t ? new DateTime(t, DateTimeKind.Utc) : null;

    private static byte[] DueKey(long ticks, byte[] key)
    {
        var bytes = new byte[1 + sizeof(long) + key.Length];
        bytes[0] = ByDue;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), ticks);
        key.CopyTo(bytes, 1 + sizeof(long));
        return bytes;
    }

    private readonly record struct Change(long? Stored, long? Due);
}
