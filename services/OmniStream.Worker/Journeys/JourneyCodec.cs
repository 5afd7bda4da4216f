using System.Text.Json;
using System.Text.Json.Serialization;
using OmniStream.Customers.Journeys;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Worker.Journeys;

/// <summary>
/// Journeys as stored in the journeys store and its changelog: UTF-8 JSON with a format version,
/// readable by people inspecting a changelog and tolerant of added fields.
/// </summary>
public static class JourneyCodec
{
    private const int Version = 1;

    /// <summary>The stored form of <paramref name="journey"/>.</summary>
    public static byte[] Encode(CustomerJourney journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        var cart = journey.Cart is { } c
            ? new StoredCart(c.CartId, [.. c.Lines.Select(l => new StoredLine(l.productId, l.quantity, (decimal)l.unitPrice))], c.Total, c.Currency, c.Channel, c.UpdatedAt, c.UpdateEventId, c.TraceParent)
            : null;
        var stored = new StoredJourney(Version, journey.CustomerId, journey.LastChannel, journey.LastSeenAt, cart, journey.CartRemindedFor);
        return JsonSerializer.SerializeToUtf8Bytes(stored, JourneyJson.Default.StoredJourney);
    }

    /// <summary>The journey stored in <paramref name="bytes"/>.</summary>
    /// <exception cref="JsonException">The bytes are not a stored journey.</exception>
    public static CustomerJourney Decode(byte[] bytes)
    {
        var stored = JsonSerializer.Deserialize(bytes, JourneyJson.Default.StoredJourney)
            ?? throw new JsonException("a stored journey is null");
        if (stored.V != Version || stored.CustomerId is null)
        {
            throw new JsonException($"not a stored journey of version {Version} (version {stored.V}, customer {stored.CustomerId ?? "missing"})");
        }
        var cart = stored.Cart is { } c
            ? new OpenCart(c.CartId, [.. c.Lines.Select(l => new LineItem { productId = l.ProductId, quantity = l.Quantity, unitPrice = Amount.Of(l.UnitPrice) })],
                c.Total, c.Currency, c.Channel, c.UpdatedAt, c.UpdateEventId, c.TraceParent)
            : null;
        return new CustomerJourney(stored.CustomerId, stored.LastChannel, stored.LastSeenAt, cart, stored.CartRemindedFor);
    }
}

internal sealed record StoredJourney(int V, string CustomerId, Channel LastChannel, DateTime LastSeenAt, StoredCart? Cart, Guid? CartRemindedFor);

internal sealed record StoredCart(string CartId, List<StoredLine> Lines, decimal Total, string Currency, Channel Channel, DateTime UpdatedAt, Guid UpdateEventId, string? TraceParent);

internal sealed record StoredLine(string ProductId, int Quantity, decimal UnitPrice);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredJourney))]
internal sealed partial class JourneyJson : JsonSerializerContext;
