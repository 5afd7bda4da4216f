using Avro;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Schemas.Tests;

internal static class Samples
{
    public static InteractionEvent CartUpdatedOnWeb() => new()
    {
        eventId = Guid.NewGuid(),
        occurredAt = new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc),
        receivedAt = new DateTime(2026, 11, 22, 10, 0, 1, DateTimeKind.Utc),
        channel = Channel.WEB,
        subject = new Subject { anonymousId = "anon-1" },
        sessionId = "s-1",
        payload = new CartUpdated
        {
            cartId = "cart-1",
            lines = [new LineItem { productId = "sku-1", quantity = 2, unitPrice = new AvroDecimal(19.99m) }],
            total = new AvroDecimal(39.98m),
            currency = "EUR",
        },
    };
}
