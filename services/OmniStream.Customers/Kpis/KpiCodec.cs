using System.Buffers.Binary;
using System.Text.Json;

namespace OmniStream.Customers.Kpis;

/// <summary>
/// The stored and internal wire form of KPI counts: format byte <see cref="Binary"/> and the ten
/// counts as big-endian longs. Counts written as JSON before (a first byte <c>{</c>) are still read,
/// and so are customers' journeys written as JSON before they moved into the customer's state.
/// </summary>
public static class KpiCodec
{
    /// <summary>The format byte of counts.</summary>
    public const byte Binary = 1;

    private const int CountsLength = 1 + 10 * sizeof(long);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Encodes counts.</summary>
    public static byte[] Encode(KpiCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var bytes = new byte[CountsLength];
        bytes[0] = Binary;
        var span = bytes.AsSpan(1);
        foreach (var count in (ReadOnlySpan<long>)[counts.Journeys, counts.Conversions, counts.NpsResponses, counts.Promoters, counts.Detractors,
                     counts.CesResponses, counts.CesSum, counts.ActionsSent, counts.ActionsConverted, counts.ActionsWithheld])
        {
            BinaryPrimitives.WriteInt64BigEndian(span, count);
            span = span[sizeof(long)..];
        }
        return bytes;
    }

    /// <summary>Decodes counts, in either form.</summary>
    /// <exception cref="InvalidDataException">The bytes are not counts.</exception>
    public static KpiCounts DecodeCounts(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == CountsLength && bytes[0] == Binary)
        {
            long At(int i) => BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1 + i * sizeof(long)));
            return new KpiCounts(At(0), At(1), At(2), At(3), At(4), At(5), At(6), At(7), At(8), At(9));
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
        if (bytes.Length != CountsLength || bytes[0] != Binary)
        {
            tally.Add(DecodeCounts(bytes));
            return;
        }
        Span<long> counts = stackalloc long[10];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1 + i * sizeof(long)));
        }
        tally.Add(counts);
    }

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
