using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using Avro;
using Avro.Specific;

namespace OmniStream.Schemas.Wire;

/// <summary>A contract record as JSON for people (an export): its schema's fields by name, enums by symbol, times in ISO 8601.</summary>
public static class AvroJson
{
    /// <summary>The fields of <paramref name="record"/>, in its schema's order.</summary>
    public static JsonObject ToNode(ISpecificRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = new JsonObject();
        foreach (var field in ((RecordSchema)record.Schema).Fields)
        {
            json[field.Name] = Value(record.Get(field.Pos));
        }
        return json;
    }

    private static JsonNode? Value(object? value) => value switch
    {
        null => null,
        ISpecificRecord nested => ToNode(nested),
        string or bool or int or long or double or float or decimal => JsonValue.Create(value),
        DateTime time => JsonValue.Create(time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
        Guid id => JsonValue.Create(id.ToString()),
        Enum symbol => JsonValue.Create(symbol.ToString()),
        IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create(Convert.ToString(k, CultureInfo.InvariantCulture)!, Value(map[k])))),
        IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(Value)]),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
