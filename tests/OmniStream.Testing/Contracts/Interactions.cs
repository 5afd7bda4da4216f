using OmniStream.Schemas.Contracts;

namespace OmniStream.Testing.Contracts;

/// <summary>Builds interaction events for tests: one customer, a clock that the test moves.</summary>
public sealed class Interactions(string customerId, DateTime? start = null)
{
    /// <summary>The event time of the next event.</summary>
    public DateTime Now { get; set; } = start ?? new DateTime(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>The customer the events are about.</summary>
    public string CustomerId => customerId;

    /// <summary>Moves the clock on.</summary>
    public Interactions After(TimeSpan elapsed)
    {
        Now += elapsed;
        return this;
    }

    /// <summary>An event of any payload on a channel, at <see cref="Now"/>.</summary>
    public InteractionEvent On(Channel channel, object payload) => new()
    {
        eventId = Guid.NewGuid(),
        occurredAt = Now,
        receivedAt = Now,
        channel = channel,
        subject = new Subject { customerId = customerId },
        payload = payload,
    };

    /// <summary>The cart now holds these (product, quantity, unit price) lines.</summary>
    public InteractionEvent CartUpdated(Channel channel, params (string Product, int Quantity, decimal UnitPrice)[] lines) =>
        On(channel, new CartUpdated
        {
            cartId = "cart-" + customerId,
            lines = lines.Select(l => new LineItem { productId = l.Product, quantity = l.Quantity, unitPrice = Amount.Of(l.UnitPrice) }).ToList(),
            total = Amount.Of(lines.Sum(l => l.Quantity * l.UnitPrice)),
            currency = "EUR",
        });

    /// <summary>The customer's cart was ordered.</summary>
    public InteractionEvent OrderPlaced(Channel channel, decimal total) =>
        On(channel, new OrderPlaced
        {
            orderId = "order-" + Guid.NewGuid().ToString("N")[..8],
            cartId = "cart-" + customerId,
            lines = [],
            total = Amount.Of(total),
            currency = "EUR",
        });

    /// <summary>A page or screen was viewed.</summary>
    public InteractionEvent PageViewed(Channel channel, string location = "/home") => On(channel, new PageViewed { location = location });

    /// <summary>The mobile app was opened.</summary>
    public InteractionEvent AppOpened() => On(Channel.MOBILE_APP, new AppOpened { pushEnabled = true });

    /// <summary>The customer was seen in a store.</summary>
    public InteractionEvent StoreVisited(string storeId = "store-1") => On(Channel.STORE, new StoreVisited { storeId = storeId, appInstalled = true });
}
