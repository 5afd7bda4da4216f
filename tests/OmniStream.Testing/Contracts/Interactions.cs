using OmniStream.Schemas.Contracts;

namespace OmniStream.Testing.Contracts;

/// <summary>Builds interaction events for tests: one customer, a clock that the test moves.</summary>
public sealed class Interactions(string customerId, DateTime? start = null, bool anonymous = false)
{
    /// <summary>Events of a visitor known only by an anonymous id (a cookie, an app install).</summary>
    public static Interactions Anonymous(string anonymousId, DateTime? start = null) => new(anonymousId, start, anonymous: true);

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
        subject = anonymous ? new Subject { anonymousId = customerId } : new Subject { customerId = customerId },
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

    /// <summary>A product detail was viewed.</summary>
    public InteractionEvent ProductViewed(Channel channel, string productId) => On(channel, new ProductViewed { productId = productId, category = "shoes" });

    /// <summary>An order of <paramref name="total"/> was placed in a store, with no cart.</summary>
    public InteractionEvent StoreOrder(string orderId, decimal total, string storeId = "store-1") =>
        On(Channel.STORE, new OrderPlaced { orderId = orderId, lines = [], total = Amount.Of(total), currency = "EUR", storeId = storeId });

    /// <summary>Consent for a purpose on a channel was granted or withdrawn.</summary>
    public InteractionEvent ConsentChanged(Channel on, Purpose purpose, Channel consentChannel, bool granted) =>
        On(on, new ConsentChanged { purpose = purpose, consentChannel = consentChannel, granted = granted });

    /// <summary>A survey was answered.</summary>
    public InteractionEvent SurveyAnswered(Channel channel, int? nps, int? ces = null) =>
        On(channel, new SurveyAnswered { surveyId = "survey-1", nps = nps, ces = ces });

    /// <summary>A support ticket was opened.</summary>
    public InteractionEvent TicketOpened(Channel channel, string ticketId) => On(channel, new SupportTicketOpened { ticketId = ticketId, topic = "delivery" });

    /// <summary>A support ticket was resolved.</summary>
    public InteractionEvent TicketResolved(Channel channel, string ticketId) => On(channel, new SupportTicketResolved { ticketId = ticketId });

    /// <summary>Profile attributes changed.</summary>
    public InteractionEvent ProfileUpdated(Channel channel, string name, string value) =>
        On(channel, new ProfileUpdated { attributes = new Dictionary<string, string> { [name] = value } });

    /// <summary>The customer logged in on <paramref name="channel"/> with the anonymous id <paramref name="anonymousId"/>.</summary>
    public InteractionEvent Identified(Channel channel, string anonymousId, string method = "login")
    {
        var e = On(channel, new Identified { anonymousId = anonymousId, customerId = customerId, method = method });
        e.subject = new Subject { customerId = customerId, anonymousId = anonymousId };
        return e;
    }

    /// <summary>A service booked on <paramref name="channel"/> for <paramref name="scheduledAt"/>.</summary>
    public InteractionEvent ServiceBooked(Channel channel, string bookingId, DateTime scheduledAt, string storeId = "store-1") =>
        On(channel, new ServiceBooked { bookingId = bookingId, service = "bike-repair", scheduledAt = scheduledAt, storeId = storeId });

    /// <summary>The customer granted (or withdrew) marketing consent on <paramref name="consentChannel"/>.</summary>
    public InteractionEvent MarketingConsent(Channel consentChannel, bool granted = true) =>
        ConsentChanged(Channel.WEB, Purpose.MARKETING, consentChannel, granted);

    /// <summary>The customer asked to be forgotten.</summary>
    public InteractionEvent ErasureRequested(Channel channel) =>
        On(channel, new ErasureRequested { requestId = "erasure-" + Guid.NewGuid().ToString("N")[..8], reason = "customer request" });
}
