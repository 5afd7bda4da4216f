using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Demo;

/// <summary>One customer moving between channels: browses, fills a cart, sometimes orders, visits stores, calls.</summary>
internal sealed class SimulatedCustomer(string customerId, Channel startChannel)
{
    private static readonly (Channel Channel, double Weight)[] ChannelMix =
    [
        (Channel.WEB, 0.35), (Channel.MOBILE_APP, 0.30), (Channel.EMAIL, 0.15), (Channel.STORE, 0.10), (Channel.CALL_CENTER, 0.05), (Channel.CHATBOT, 0.05),
    ];

    private readonly List<LineItem> _cart = [];
    private Channel _channel = startChannel;
    private int _orders;

    public string CustomerId => customerId;

    public InteractionEvent Next(Random random, DateTime now)
    {
        if (random.NextDouble() < 0.25)
        {
            _channel = PickChannel(random);
        }
        return new InteractionEvent
        {
            eventId = Guid.NewGuid(),
            occurredAt = now,
            channel = _channel,
            subject = new Subject { customerId = customerId },
            sessionId = $"{customerId}-{_channel}",
            payload = NextPayload(random),
        };
    }

    private object NextPayload(Random random) => _channel switch
    {
        Channel.WEB or Channel.MOBILE_APP => random.NextDouble() switch
        {
            < 0.40 => new ProductViewed { productId = Product(random), category = "garden" },
            < 0.75 => AddToCart(random),
            _ when _cart.Count > 0 => PlaceOrder(null),
            _ => _channel == Channel.MOBILE_APP ? new AppOpened { pushEnabled = true } : new PageViewed { location = "/" },
        },
        Channel.STORE => _cart.Count > 0 && random.NextDouble() < 0.3 ? PlaceOrder("store-" + random.Next(1, 40)) : new StoreVisited { storeId = "store-" + random.Next(1, 40), appInstalled = true },
        Channel.EMAIL => random.NextDouble() < 0.8
            ? new EmailOpened { campaignId = "weekly", messageId = Guid.NewGuid().ToString("N")[..12] }
            : new SurveyAnswered { surveyId = "nps-q4", nps = random.Next(0, 11) },
        Channel.CALL_CENTER => new SupportTicketOpened { ticketId = "t-" + random.Next(100_000), topic = "delivery" },
        _ => new ChatMessageSent { conversationId = customerId + "-chat", intent = "track_order", confidence = 0.9 },
    };

    private CartUpdated AddToCart(Random random)
    {
        _cart.Add(new LineItem { productId = Product(random), quantity = random.Next(1, 4), unitPrice = Amount.Of(random.Next(5, 200) - 0.01m) });
        return new CartUpdated { cartId = CartId, lines = [.. _cart], total = Amount.Of(Total), currency = "EUR" };
    }

    private OrderPlaced PlaceOrder(string? storeId)
    {
        var order = new OrderPlaced { orderId = $"{customerId}-o{++_orders}", cartId = CartId, lines = [.. _cart], total = Amount.Of(Total), currency = "EUR", storeId = storeId };
        _cart.Clear();
        return order;
    }

    private string CartId => $"{customerId}-c{_orders + 1}";

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
