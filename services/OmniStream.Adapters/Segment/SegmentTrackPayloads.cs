using System.Text.Json;
using System.Text.Json.Nodes;
using Avro;
using OmniStream.Adapters.Json;
using OmniStream.Schemas.Contracts;
using static OmniStream.Adapters.MessageProperties;

namespace OmniStream.Adapters.Segment;

/// <summary>
/// The payload a <c>track</c> event's properties make, in <see cref="InteractionJson"/>'s form. Carts
/// and orders follow Segment's e-commerce spec (<c>products</c> with <c>product_id</c> or <c>sku</c>,
/// <c>quantity</c>, <c>price</c>; <c>cart_id</c>, <c>order_id</c>, <c>total</c>/<c>revenue</c>/<c>value</c>,
/// <c>currency</c>); every other payload takes its fields from the properties of the same name,
/// in snake_case or camelCase (<c>survey_id</c> or <c>surveyId</c> → surveyId).
/// </summary>
internal static class SegmentTrackPayloads
{
    // Segment's spec names for fields whose names differ from the contract's.
    private static readonly Dictionary<string, string[]> Aliases = new()
    {
        ["productId"] = ["product_id", "sku", "id"],
        ["messageId"] = ["email_id"],
        ["url"] = ["link_url"],
    };

    /// <summary>The names of the payload records, for checking a mapping.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. PayloadBranches().Select(r => r.Name)];

    /// <summary>
    /// The payload <paramref name="payloadType"/> made from <paramref name="properties"/>;
    /// <paramref name="defaultCart"/> is the cart id of a cart event that names none.
    /// </summary>
    public static JsonObject Build(string payloadType, JsonElement properties, string defaultCart, string defaultCurrency) => payloadType switch
    {
        nameof(CartUpdated) => Cart(properties, defaultCart, defaultCurrency),
        nameof(CheckoutStarted) => new JsonObject { [InteractionJson.PayloadType] = payloadType, ["cartId"] = FirstText(properties, "cart_id", "cartId") ?? defaultCart },
        nameof(OrderPlaced) => Order(properties, defaultCurrency),
        _ => ByFieldNames(payloadType, properties),
    };

    private static JsonObject Cart(JsonElement properties, string defaultCart, string defaultCurrency)
    {
        var lines = Lines(properties, productIfNoList: true);
        return new JsonObject
        {
            [InteractionJson.PayloadType] = nameof(CartUpdated),
            ["cartId"] = FirstText(properties, "cart_id", "cartId") ?? defaultCart,
            ["lines"] = new JsonArray([.. lines.Select(l => l.Json)]),
            ["total"] = Amount(Number(properties, "value", "properties") ?? Number(properties, "total", "properties") ?? lines.Sum(l => l.Amount)),
            ["currency"] = Currency(properties, defaultCurrency),
        };
    }

    private static JsonObject Order(JsonElement properties, string defaultCurrency)
    {
        var orderId = FirstText(properties, "order_id", "orderId") ?? throw new InteractionJsonException("properties.order_id", "is required for an order");
        var lines = Lines(properties, productIfNoList: false);
        return new JsonObject
        {
            [InteractionJson.PayloadType] = nameof(OrderPlaced),
            ["orderId"] = orderId,
            ["cartId"] = FirstText(properties, "cart_id", "cartId"),
            ["lines"] = new JsonArray([.. lines.Select(l => l.Json)]),
            ["total"] = Amount(Number(properties, "total", "properties") ?? Number(properties, "revenue", "properties") ?? Number(properties, "value", "properties")
                ?? lines.Sum(l => l.Amount)),
            ["currency"] = Currency(properties, defaultCurrency),
            ["storeId"] = FirstText(properties, "store_id", "storeId"),
        };
    }

    // The event's products, or, for a cart event about one product (Product Added), that product.
    private static List<(JsonObject Json, decimal Amount)> Lines(JsonElement properties, bool productIfNoList)
    {
        if (properties.TryGetProperty("products", out var products) && products.ValueKind == JsonValueKind.Array)
        {
            if (products.GetArrayLength() > InteractionJson.MaxItems)
            {
                throw new InteractionJsonException("properties.products", $"has {products.GetArrayLength()} items, more than {InteractionJson.MaxItems}");
            }
            return [.. products.EnumerateArray().Select((p, i) => Line(p, $"properties.products[{i}]"))];
        }
        return productIfNoList ? [Line(properties, "properties")] : [];
    }

    private static (JsonObject Json, decimal Amount) Line(JsonElement product, string path)
    {
        var quantity = Number(product, "quantity", path) ?? 1;
        if (quantity < 1 || quantity > int.MaxValue || quantity != decimal.Truncate(quantity))
        {
            throw new InteractionJsonException($"{path}.quantity", "must be a whole number of at least 1");
        }
        var price = Number(product, "price", path) ?? throw new InteractionJsonException($"{path}.price", "is required");
        var line = new JsonObject
        {
            ["productId"] = FirstText(product, Aliases["productId"]) ?? throw new InteractionJsonException($"{path}.product_id", "is required (or sku)"),
            ["quantity"] = (int)quantity,
            ["unitPrice"] = Amount(price),
        };
        return (line, price * quantity);
    }

    private static decimal Amount(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private static string Currency(JsonElement properties, string defaultCurrency) => (Text(properties, "currency") ?? defaultCurrency).ToUpperInvariant();

    private static JsonObject ByFieldNames(string payloadType, JsonElement properties)
    {
        var record = PayloadBranches().FirstOrDefault(r => r.Name == payloadType)
            ?? throw new InteractionJsonException("event", $"maps to '{payloadType}', which is not a payload ({string.Join(", ", Names)})");
        var payload = new JsonObject { [InteractionJson.PayloadType] = payloadType };
        foreach (var field in record.Fields)
        {
            var names = new[] { SnakeCase(field.Name), field.Name }.Concat(Aliases.GetValueOrDefault(field.Name, []));
            if (names.Select(n => properties.TryGetProperty(n, out var value) ? value : (JsonElement?)null).FirstOrDefault(v => v is not null) is { } found)
            {
                payload[field.Name] = JsonNode.Parse(found.GetRawText());
            }
        }
        return payload;
    }

    private static string SnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    private static IEnumerable<RecordSchema> PayloadBranches() =>
        ((UnionSchema)((RecordSchema)InteractionEvent._SCHEMA)[nameof(InteractionEvent.payload)]!.Schema).Schemas.OfType<RecordSchema>();
}
