using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Bench;

/// <summary>
/// The benchmark's events, computed from their index alone (no state per customer, so the
/// generator's memory does not grow with the population): every run of <c>customers</c>
/// consecutive events visits each customer once; the mix is mostly carts, views and orders.
/// </summary>
internal sealed class BenchTraffic(int customers)
{
    // A prime above any population: i * Stride mod customers visits every customer once per cycle.
    private const long Stride = 2_147_483_647;

    private const int CartPercent = 35;

    /// <summary>Whether event <paramref name="index"/> updates a cart.</summary>
    public static bool IsCartUpdate(long index) => Roll(Mix(index)) < CartPercent;

    public InteractionEvent Event(long index, DateTime now)
    {
        var customerId = $"cust-{index * Stride % customers:D7}";
        var hash = Mix(index);
        var roll = Roll(hash);
        var channel = (hash >> 8) % 2 == 0 ? Channel.WEB : Channel.MOBILE_APP;
        var (eventChannel, payload) = roll switch
        {
            < CartPercent => (channel, (object)Cart(customerId, hash)),
            < 45 => (channel, Order(customerId, hash)),
            < 80 => (channel, new ProductViewed { productId = Product(hash >> 16), category = "garden" }),
            < 88 => (Channel.EMAIL, new EmailOpened { campaignId = "weekly", messageId = $"m{index}" }),
            < 94 => (Channel.STORE, new StoreVisited { storeId = $"store-{hash % 40}", appInstalled = true }),
            < 97 => (Channel.CALL_CENTER, new SupportTicketOpened { ticketId = $"t-{index}", topic = "delivery" }),
            _ => (Channel.CHATBOT, (object)new ChatMessageSent { conversationId = customerId + "-chat", intent = "track_order", confidence = 0.9 }),
        };
        return new InteractionEvent
        {
            eventId = Guid.NewGuid(),
            occurredAt = now,
            channel = eventChannel,
            subject = new Subject { customerId = customerId },
            sessionId = $"{customerId}-{eventChannel}",
            payload = payload,
        };
    }

    private static CartUpdated Cart(string customerId, ulong hash)
    {
        var lines = Lines(hash);
        return new CartUpdated { cartId = customerId + "-c", lines = lines, total = Total(lines), currency = "EUR" };
    }

    private static OrderPlaced Order(string customerId, ulong hash)
    {
        var lines = Lines(hash);
        return new OrderPlaced { orderId = $"{customerId}-o{hash % 100_000}", cartId = customerId + "-c", lines = lines, total = Total(lines), currency = "EUR" };
    }

    private static List<LineItem> Lines(ulong hash) =>
        Enumerable.Range(0, 1 + (int)(hash >> 20) % 3)
            .Select(i => new LineItem { productId = Product(hash >> (24 + i * 8)), quantity = 1 + i, unitPrice = Amount.Of(9.99m + i * 10) })
            .ToList();

    private static Avro.AvroDecimal Total(List<LineItem> lines) => Amount.Of(lines.Sum(l => l.quantity * (decimal)l.unitPrice));

    private static string Product(ulong hash) => $"sku-{hash % 500:D4}";

    private static int Roll(ulong hash) => (int)(hash % 100);

    // Fibonacci hashing: a cheap, well-spread function of the index.
    private static ulong Mix(long index) => ((ulong)index * 0x9E3779B97F4A7C15UL) >> 17;
}
