using System.Buffers.Binary;
using System.Text.Json;

namespace OmniStream.Customers.Kpis;

/// <summary>
/// The stored and internal wire form of KPI counts: format byte <see cref="Binary"/> and the twelve
/// counts as big-endian longs. Counts of format <see cref="BinaryBefore"/> (the ten counts before segment
/// entries and exits) and counts written as JSON (a first byte <c>{</c>) are still read, and so are
/// customers' journeys written as JSON before they moved into the customer's state.
/// </summary>
public static class KpiCodec
{
    /// <summary>The format byte of counts.</summary>
    public const byte Binary = 2;

    /// <summary>The format byte of counts written before segment entries and exits were counted.</summary>
    public const byte BinaryBefore = 1;

    /// <summary>How many counts format <see cref="Binary"/> holds.</summary>
    public const int Counts = 12;

    /// <summary>How many counts format <see cref="BinaryBefore"/> holds.</summary>
    public const int CountsBefore = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Encodes counts: in format <see cref="BinaryBefore"/> when they hold no segment entry or exit (the counts of every scope
    /// but segments, which a version before segment moves, still running beside this one in an upgrade, reads), else
    /// <see cref="Binary"/>.
    /// </summary>
    public static byte[] Encode(KpiCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return Encode([counts.Journeys, counts.Conversions, counts.NpsResponses, counts.Promoters, counts.Detractors,
            counts.CesResponses, counts.CesSum, counts.ActionsSent, counts.ActionsConverted, counts.ActionsWithheld, counts.SegmentEntries, counts.SegmentExits]);
    }

    /// <summary>Encodes the counts of <paramref name="tally"/>, as <see cref="Encode(KpiCounts)"/> does (without making them a <see cref="KpiCounts"/>).</summary>
    public static byte[] Encode(KpiTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        Span<long> counts = stackalloc long[Counts];
        tally.CopyTo(counts);
        return Encode(counts);
    }

    // The twelve counts in binary order.
    private static byte[] Encode(ReadOnlySpan<long> counts)
    {
        var moves = counts[10] != 0 || counts[11] != 0;
        var written = moves ? Counts : CountsBefore;
        var bytes = new byte[LengthOf(written)];
        bytes[0] = moves ? Binary : BinaryBefore;
        for (var i = 0; i < written; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1 + i * sizeof(long)), counts[i]);
        }
        return bytes;
    }

    /// <summary>Decodes counts, in any of their forms.</summary>
    /// <exception cref="InvalidDataException">The bytes are not counts.</exception>
    public static KpiCounts DecodeCounts(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (BinaryCount(bytes) is not null)
        {
            var tally = new KpiTally();
            AddTo(tally, bytes);
            return tally.Counts;
        }
        try
        {
            return JsonSerializer.Deserialize<KpiCounts>(bytes, Json) ?? throw new InvalidDataException("KPI counts are null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not KPI counts: {e.Message}", e);
        }
    }

    /// <summary>Adds the counts in <paramref name="bytes"/> to <paramref name="tally"/> (binary counts without allocating).</summary>
    /// <exception cref="InvalidDataException">The bytes are not counts.</exception>
    public static void AddTo(KpiTally tally, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(bytes);
        if (BinaryCount(bytes) is not { } count)
        {
            tally.Add(DecodeCounts(bytes));
            return;
        }
        Span<long> counts = stackalloc long[count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1 + i * sizeof(long)));
        }
        tally.Add(counts);
    }

    // How many counts binary bytes hold; null when the bytes are not binary counts.
    private static int? BinaryCount(byte[] bytes) =>
        bytes.Length == LengthOf(Counts) && bytes[0] == Binary ? Counts
        : bytes.Length == LengthOf(CountsBefore) && bytes[0] == BinaryBefore ? CountsBefore
        : null;

    private static int LengthOf(int counts) => 1 + counts * sizeof(long);

    /// <summary>Decodes journeys written as JSON (the journeys store, and hand-overs' header, before journeys moved into the state).</summary>
    /// <exception cref="InvalidDataException">The bytes are not journeys.</exception>
    public static JourneyMarks DecodeMarks(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<JourneyMarks>(bytes, Json) ?? throw new InvalidDataException("journeys are null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not journeys: {e.Message}", e);
        }
    }
}
