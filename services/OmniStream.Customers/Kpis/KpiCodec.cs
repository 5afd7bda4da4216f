using System.Text.Json;

namespace OmniStream.Customers.Kpis;

/// <summary>The stored and internal wire form of KPI counts and journeys: JSON.</summary>
public static class KpiCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Encodes counts.</summary>
    public static byte[] Encode(KpiCounts counts) => JsonSerializer.SerializeToUtf8Bytes(counts, Json);

    /// <summary>Decodes counts.</summary>
    /// <exception cref="JsonException">The bytes are not counts.</exception>
    public static KpiCounts DecodeCounts(byte[] bytes) =>
        JsonSerializer.Deserialize<KpiCounts>(bytes, Json) ?? throw new JsonException("KPI counts are null");

    /// <summary>Encodes journeys.</summary>
    public static byte[] Encode(JourneyMarks marks) => JsonSerializer.SerializeToUtf8Bytes(marks, Json);

    /// <summary>Decodes journeys.</summary>
    /// <exception cref="JsonException">The bytes are not journeys.</exception>
    public static JourneyMarks DecodeMarks(byte[] bytes) =>
        JsonSerializer.Deserialize<JourneyMarks>(bytes, Json) ?? throw new JsonException("journeys are null");
}
