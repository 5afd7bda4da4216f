using System.Text;

namespace OmniStream.Customers.Kpis;

/// <summary>
/// A segment's running count of members: its entries and exits since the application began, summed under one key per
/// segment (<c>members/segment:vip</c>) on stage <c>kpis</c>' input and in the kpis store, where no window's pruning
/// reaches it. Members = entries − exits. Every entry counts, and so does every exit: those the segments' rules make,
/// and those of a customer erased or of an anonymous id merged into a customer (who re-enters on their own account).
/// </summary>
public static class SegmentMembers
{
    /// <summary>The start of every members key.</summary>
    public const string Prefix = "members/";

    private static ReadOnlySpan<byte> PrefixUtf8 => "members/"u8;

    /// <summary>The key of <paramref name="segment"/>'s members (a scope of dimension SEGMENT).</summary>
    public static byte[] KeyOf(KpiScope segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return Encoding.UTF8.GetBytes(Prefix + segment);
    }

    /// <summary>True when <paramref name="key"/> is a members key rather than a cell's.</summary>
    public static bool IsKey(ReadOnlySpan<byte> key) => key.StartsWith(PrefixUtf8);

    /// <summary>The segment scope a members key counts for.</summary>
    /// <exception cref="FormatException">The key is not a segment's members key.</exception>
    public static KpiScope ScopeOf(ReadOnlySpan<byte> key)
    {
        var scope = IsKey(key) ? KpiScope.Parse(Encoding.UTF8.GetString(key[PrefixUtf8.Length..])) : null;
        return scope is { Dimension: Schemas.Contracts.KpiDimension.SEGMENT }
            ? scope
            : throw new FormatException($"'{Encoding.UTF8.GetString(key)}' is not a segment's members key ({Prefix}segment:NAME)");
    }

    /// <summary>How many members counts of entries and exits make.</summary>
    public static long Of(KpiCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.SegmentEntries - counts.SegmentExits;
    }
}
