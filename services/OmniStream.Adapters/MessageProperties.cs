using System.Globalization;
using System.Text.Json;
using OmniStream.Adapters.Json;

namespace OmniStream.Adapters;

/// <summary>Reads the loosely typed values of channels' messages (Segment calls, webhooks): ids may be numbers, amounts strings.</summary>
internal static class MessageProperties
{
    /// <summary>The text of <paramref name="name"/>: a string (null when blank) or a number as written; null otherwise.</summary>
    public static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) ? Text(value) : null;

    /// <summary>The first of <paramref name="names"/> that has a text.</summary>
    public static string? FirstText(JsonElement json, params string[] names) => names.Select(n => Text(json, n)).FirstOrDefault(t => t is not null);

    /// <summary>A string (null when blank) or a number as written; null otherwise.</summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>The object <paramref name="name"/>; an empty one when missing or not an object.</summary>
    public static JsonElement Object(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : Empty;

    /// <summary>A number, or a string holding one (<c>"19.99"</c>); null when missing.</summary>
    /// <exception cref="InteractionJsonException">It is there but not a number.</exception>
    public static decimal? Number(JsonElement json, string name, string path)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }
        if (value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }
        throw new InteractionJsonException($"{path}.{name}", "must be a number");
    }

    /// <summary>A time given as ISO 8601 with a zone; null when missing.</summary>
    /// <exception cref="InteractionJsonException">It is there but not such a time.</exception>
    public static DateTime? Time(JsonElement json, string name)
    {
        if (Text(json, name) is not { } text)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime
            : throw new InteractionJsonException(name, $"'{(text.Length <= 64 ? text : text[..64] + "…")}' is not an ISO 8601 time");
    }

    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement.Clone();
}
