using System.Text.Json;

namespace OmniStream.Streaming.Queries;

/// <summary>What one instance says it owns in one stage, and where it answers store queries.</summary>
/// <param name="Instance">The instance id.</param>
/// <param name="Endpoint">Where it answers queries (e.g. <c>http://worker-2:8080</c>); empty when it serves none.</param>
/// <param name="Stage">The stage.</param>
/// <param name="Partitions">The input partitions it owns, as <c>topic:partition</c>.</param>
/// <param name="At">When it said so, by its clock: for people to read (of two claims on a partition, the later in the log wins).</param>
public sealed record InstanceAnnouncement(string Instance, string Endpoint, string Stage, IReadOnlyList<string> Partitions, DateTime At)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The directory's key for an instance in a stage.</summary>
    public static string KeyOf(string stage, string instance) => $"{stage}/{instance}";

    /// <summary>How a partition is written in <see cref="Partitions"/>.</summary>
    public static string Name(string topic, int partition) => $"{topic}:{partition}";

    /// <summary>The announcement as JSON.</summary>
    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads an announcement; null when the bytes are not one.</summary>
    public static InstanceAnnouncement? TryDecode(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<InstanceAnnouncement>(bytes, Json) is { Instance: not null, Stage: not null, Partitions: not null } announcement
                ? announcement
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
