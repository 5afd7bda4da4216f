using System.Text;

namespace OmniStream.Schemas.Wire;

/// <summary>
/// Short strings read from Avro (ids, product codes, currencies, which recur from event to event),
/// made once and handed out again while they recur: per thread, a table of the strings read lately,
/// each in the slot its UTF-8 bytes hash to (a string that lands on a taken slot replaces the one
/// there). No lock is taken: a pool shared between threads (CommunityToolkit's StringPool) cost about
/// a fifth of the customers stage's handling of an event. Only ASCII text is kept, so that a slot is
/// checked against the bytes without decoding them.
/// </summary>
internal static class RecentStrings
{
    /// <summary>The longest string kept, in bytes.</summary>
    public const int MaxBytes = 32;

    private const int Slots = 4096;

    [ThreadStatic]
    private static string?[]? t_slots;

    /// <summary>The string <paramref name="utf8"/> encodes: the one made before when it is still held.</summary>
    public static string Of(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var slots = t_slots ??= new string?[Slots];
        ref var slot = ref slots[Hash(utf8) & (Slots - 1)];
        if (slot is { } known && Ascii.Equals(utf8, known))
        {
            return known;
        }
        var text = Encoding.UTF8.GetString(utf8);
        if (Ascii.IsValid(utf8))
        {
            slot = text;
        }
        return text;
    }

    // FNV-1a over at most 32 bytes: enough to spread ids over the slots.
    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash ^ (hash >> 15));
    }
}
