using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Streaming.State;
using OmniStream.Worker.Kpis;

namespace OmniStream.Worker.Customers;

/// <summary>
/// Counts, once per partition of stage <c>customers</c>, the segments' members its store held before members were
/// counted (an application that ran an earlier version): each stored customer's segments count as members, in no
/// window. A mark in the store, under a key that neither a customer nor an erasure mark can have, says the count was
/// made; it commits with the task's transaction (an abort takes both back), and <c>migrate</c> copies it to every
/// partition of the new application.
/// </summary>
public static class SegmentCensus
{
    /// <summary>The mark's key in the customers store.</summary>
    public static byte[] MarkKey { get; } = [KeyParts.Separator, KeyParts.Separator, .. "segment-members-counted"u8];

    private static readonly byte[] CustomersEnd = [KeyParts.Separator];

    /// <summary>Whether <paramref name="key"/> is the mark.</summary>
    public static bool IsMark(ReadOnlySpan<byte> key) => key.SequenceEqual(MarkKey);

    /// <summary>Counts the members of the customers in <paramref name="store"/> into <paramref name="kpis"/>, unless the mark says it was done, and marks it.</summary>
    /// <returns>How many customers were counted (0 when it was done already).</returns>
    public static int CountOnce(IKeyValueStore store, KpiBuffer kpis)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(kpis);
        if (store.Find(MarkKey) is not null)
        {
            return 0;
        }
        var counted = 0;
        // Customers' keys are UTF-8, so below 0xFF; their cores are the keys without a part's 0xFF.
        foreach (var (key, value) in store.Scan([], CustomersEnd))
        {
            if (Array.IndexOf(key, KeyParts.Separator) >= 0 || Segments(value) is not { Count: > 0 } segments)
            {
                continue;
            }
            foreach (var segment in segments)
            {
                kpis.CountMembers(KpiScope.Segment(segment), 1);
            }
            counted++;
        }
        store.Put(MarkKey, [1]);
        return counted;
    }

    // A core that cannot be read is set aside when its customer is next loaded; it counts for nothing here, whatever the
    // decoder threw (a legacy core may fail otherwise than as invalid data): one bad value must not stop the partition.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "any failure to read one core leaves that core out, as said")]
    private static SortedStrings? Segments(byte[] core)
    {
        try
        {
            return CustomerStateCodec.Decode(core).Segments;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
