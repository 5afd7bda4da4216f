using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniStream.Gateway.Delivery;

/// <summary>The gateway's JSON: camel case, enums by name.</summary>
public static class GatewayJson
{
    /// <summary>The options every body and event is written and read with.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
