using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniStream.Customers.State;

/// <summary>
/// Everything held about a customer, as JSON, for the right of access (<c>GET /privacy/export/{id}</c>): the
/// stored state (<see cref="CustomerStateCodec.ToJson"/>), the journeys the KPIs follow and when the customer entered their segments.
/// </summary>
public static class CustomerExport
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The export of <paramref name="state"/>, with the properties of <paramref name="elsewhere"/> (what is held about the customer outside the state).</summary>
    public static byte[] Json(CustomerState state, JsonObject? elsewhere = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var export = JsonNode.Parse(CustomerStateCodec.ToJson(state))!.AsObject();
        export["journeys"] = JsonSerializer.SerializeToNode(state.Journeys, Options);
        export["segmentsSince"] = JsonSerializer.SerializeToNode(state.SegmentsSince, Options);
        foreach (var (name, value) in elsewhere?.ToList() ?? [])
        {
            elsewhere!.Remove(name);
            export[name] = value;
        }
        return JsonSerializer.SerializeToUtf8Bytes(export);
    }
}
