using System.Buffers.Binary;
using OmniStream.Streaming.State;

namespace OmniStream.Worker.Customers;

/// <summary>
/// What stage <c>customers</c> keeps of an erased customer for the lateness window
/// (<c>OmniStream:Customers:Lateness</c>): the time of the erasure, in the customers store under a key
/// no customer can have (byte 0xFF, then the customer's key), with a timer of its own that removes it.
/// While it lasts, an event of the customer that occurred before the erasure, or a history merged into
/// the customer that began before it, is dropped and counted: an event published just before an
/// erasure and delivered after it cannot bring the customer back.
/// The marks' keys are also held in memory, read from the store at the first question: every event asks,
/// and almost never is there a mark (a read of the store per event cost a twentieth of the stage). They
/// live with the task's other working data, which an aborted transaction drops.
/// </summary>
public sealed class ErasureMarks(IKeyValueStore store, DueTimers timers, TimeSpan lateness)
{
    private static readonly byte[] FirstMark = [KeyParts.Separator];
    // A customer's key is UTF-8, which never holds 0xFF: every mark sorts before this (the census mark, 0xFF 0xFF …, after).
    private static readonly byte[] PastMarks = [KeyParts.Separator, KeyParts.Separator];
    private HashSet<byte[]>? _held;

    /// <summary>Whether <paramref name="key"/> (of the store or of a timer) is a mark's rather than a customer's.</summary>
    public static bool IsMark(byte[] key) => key is [KeyParts.Separator, ..];

    /// <summary>Marks <paramref name="customer"/> as erased at <paramref name="erasedAt"/> (the erasure request's time), until the lateness window has passed.</summary>
    public void Mark(byte[] customer, DateTime erasedAt)
    {
        var mark = KeyOf(customer);
        var earlier = Read(mark);
        var at = earlier is { } known && known > erasedAt ? known : erasedAt;
        var value = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(value, at.Ticks);
        store.Put(mark, value);
        Held.Add(mark);
        timers.Set(mark, earlier + lateness, at + lateness);
    }

    /// <summary>Whether <paramref name="customer"/> was erased at or after <paramref name="occurredAt"/>, as far as a mark still tells.</summary>
    public bool Covers(byte[] customer, DateTime occurredAt) =>
        Held.Count > 0 && KeyOf(customer) is var mark && Held.Contains(mark) && Read(mark) is { } erasedAt && occurredAt <= erasedAt;

    /// <summary>The timer of <paramref name="mark"/> fired at <paramref name="now"/>: the mark goes once the lateness window has passed.</summary>
    public void Expire(byte[] mark, DateTime now)
    {
        if (Read(mark) is { } erasedAt && erasedAt + lateness <= now)
        {
            store.Delete(mark);
            Held.Remove(mark);
        }
    }

    private HashSet<byte[]> Held => _held ??= new(store.Scan(FirstMark, PastMarks).Select(entry => entry.Key), ByteArrayComparer.Instance);

    private DateTime? Read(byte[] mark) =>
        store.Find(mark) is { Length: sizeof(long) } value ? new DateTime(BinaryPrimitives.ReadInt64BigEndian(value), DateTimeKind.Utc) : null;

    private static byte[] KeyOf(byte[] customer) => [KeyParts.Separator, .. customer];
}
