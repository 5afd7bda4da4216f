using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Demo;

/// <summary>
/// One customer moving between channels: browses, fills a cart, sometimes orders, visits stores,
/// calls support, books a service, answers surveys. Most start by granting marketing consent on the
/// channel they start on, and grant it for email when they open one (one in five never do, and get no marketing).
/// </summary>
internal sealed class SimulatedCustomer
{
    private static readonly (Channel Channel, double Weight)[] ChannelMix =
    [
        (Channel.WEB, 0.35), (Channel.MOBILE_APP, 0.30), (Channel.EMAIL, 0.15), (Channel.STORE, 0.10), (Channel.CALL_CENTER, 0.05), (Channel.CHATBOT, 0.05),
    ];

    private readonly List<LineItem> _cart = [];
    private readonly string _customerId;
    private readonly bool _consents;
    private bool _started;
    private Channel _channel;
    private int _orders;
    private string? _openTicket;

    public SimulatedCustomer(string customerId, Channel startChannel, bool consents)
    {
        _customerId = customerId;
        _channel = startChannel;
        _consents = consents;
    }

    public string CustomerId => _customerId;

    public InteractionEvent Next(Random random, DateTime now)
    {
        if (!_started)
        {
            _started = true;
            if (_consents)
            {
                return Event(_channel, Consent(_channel), now);
            }
        }
        if (random.NextDouble() < 0.25)
        {
            _channel = PickChannel(random);
        }
        return Event(_channel, NextPayload(random, now), now);
    }

    private InteractionEvent Event(Channel channel, object payload, DateTime now) => new()
    {
        eventId = Guid.NewGuid(),
        occurredAt = now,
        channel = channel,
        subject = new Subject { customerId = _customerId },
        sessionId = $"{_customerId}-{channel}",
        payload = payload,
    };

    private object NextPayload(Random random, DateTime now) => _channel switch
    {
        Channel.WEB or Channel.MOBILE_APP => random.NextDouble() switch
        {
            < 0.40 => new ProductViewed { productId = Product(random), category = "garden" },
            < 0.75 => AddToCart(random),
            // Booked for a day and a few seconds from now: its reminder (the day before) comes within the demo.
            < 0.78 => new ServiceBooked { bookingId = $"{_customerId}-b{random.Next(1000)}", service = "bike-repair", scheduledAt = now.AddDays(1).AddSeconds(random.Next(3, 8)), storeId = "store-" + random.Next(1, 40) },
            _ when _cart.Count > 0 => PlaceOrder(null),
            _ when random.NextDouble() < 0.1 => new ProfileUpdated { attributes = new Dictionary<string, string> { ["loyalty_points"] = random.Next(0, 3000).ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            _ => _channel == Channel.MOBILE_APP ? new AppOpened { pushEnabled = true } : new PageViewed { location = "/" },
        },
        Channel.STORE => _cart.Count > 0 && random.NextDouble() < 0.3 ? PlaceOrder("store-" + random.Next(1, 40)) : new StoreVisited { storeId = "store-" + random.Next(1, 40), appInstalled = true },
        Channel.EMAIL => random.NextDouble() switch
        {
            < 0.2 when _consents => (object)Consent(Channel.EMAIL),
            < 0.8 => new EmailOpened { campaignId = "weekly", messageId = Guid.NewGuid().ToString("N")[..12] },
            _ => new SurveyAnswered { surveyId = "nps-q4", nps = random.Next(0, 11) },
        },
        Channel.CALL_CENTER or Channel.CHATBOT when _openTicket is { } ticket => ResolveTicket(ticket),
        Channel.CALL_CENTER => OpenTicket(random),
        _ => new ChatMessageSent { conversationId = _customerId + "-chat", intent = "track_order", confidence = 0.9 },
    };

    private static ConsentChanged Consent(Channel channel) => new() { purpose = Purpose.MARKETING, consentChannel = channel, granted = true };

    private SupportTicketOpened OpenTicket(Random random)
    {
        _openTicket = "t-" + random.Next(100_000);
        return new SupportTicketOpened { ticketId = _openTicket, topic = "delivery" };
    }

    private SupportTicketResolved ResolveTicket(string ticket)
    {
        _openTicket = null;
        return new SupportTicketResolved { ticketId = ticket, resolution = "parcel found" };
    }

    private CartUpdated AddToCart(Random random)
    {
        _cart.Add(new LineItem { productId = Product(random), quantity = random.Next(1, 4), unitPrice = Amount.Of(random.Next(5, 200) - 0.01m) });
        return new CartUpdated { cartId = CartId, lines = [.. _cart], total = Amount.Of(Total), currency = "EUR" };
    }

    private OrderPlaced PlaceOrder(string? storeId)
    {
        var order = new OrderPlaced { orderId = $"{_customerId}-o{++_orders}", cartId = CartId, lines = [.. _cart], total = Amount.Of(Total), currency = "EUR", storeId = storeId };
        _cart.Clear();
        return order;
    }

    private string CartId => $"{_customerId}-c{_orders + 1}";

    private decimal Total => _cart.Sum(l => l.quantity * (decimal)l.unitPrice);

    private static string Product(Random random) => "sku-" + random.Next(1, 500).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    private static Channel PickChannel(Random random)
    {
        var roll = random.NextDouble();
        foreach (var (channel, weight) in ChannelMix)
        {
            if ((roll -= weight) < 0)
            {
                return channel;
            }
        }
        return Channel.WEB;
    }
}
