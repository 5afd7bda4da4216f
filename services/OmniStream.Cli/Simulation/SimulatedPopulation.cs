using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Simulation;

/// <summary>
/// The population of the policy evaluation. Half the customers are loyal (two orders before they
/// visit a store), half new; four in five grant marketing consent for the app. Each then visits a
/// store twice, and each visit calls for one of five offers in the app. How likely each offer is to
/// convert depends on the customer's kind, and only the simulator knows it: the worker has to learn it.
/// </summary>
internal sealed class SimulatedPopulation(int customers, int seed)
{
    /// <summary>The offers, as the policy names them, and their hidden conversion rates for loyal and for new customers.</summary>
    public static IReadOnlyList<(string Action, double Loyal, double New)> Offers { get; } =
    [
        ("offer_a", 0.28, 0.02),
        ("offer_b", 0.10, 0.04),
        ("offer_c", 0.04, 0.06),
        ("offer_d", 0.03, 0.10),
        ("offer_e", 0.02, 0.26),
    ];

    // Drawn up front: the channel backend reads traits on its own thread while events are still being published.
    private readonly Dictionary<string, (bool Loyal, bool Consents)> _customers = Draw(customers, seed);

    public int Customers => customers;

    /// <summary>Whether the customer is loyal, and whether they gave marketing consent for the app.</summary>
    public (bool Loyal, bool Consents) Traits(string customerId) => _customers[customerId];

    /// <summary>The hidden conversion rate of <paramref name="action"/> for a loyal or a new customer.</summary>
    public static double Rate(string action, bool loyal) => Offers.Single(o => o.Action == action) is var offer && loyal ? offer.Loyal : offer.New;

    /// <summary>The mean rate of the offers for the customer's kind: what choosing at random would convert.</summary>
    public static double RandomRate(bool loyal) => Offers.Average(o => loyal ? o.Loyal : o.New);

    /// <summary>The best offer's rate for the customer's kind: what knowing the rates would convert.</summary>
    public static double OracleRate(bool loyal) => Offers.Max(o => loyal ? o.Loyal : o.New);

    /// <summary>The events of customer number <paramref name="index"/>, in order, all on the store's channel.</summary>
    public List<InteractionEvent> EventsOf(int index)
    {
        var id = IdOf(index);
        var (loyal, consents) = _customers[id];
        List<object> payloads = [];
        if (consents)
        {
            payloads.Add(new ConsentChanged { purpose = Purpose.MARKETING, consentChannel = Channel.MOBILE_APP, granted = true });
        }
        if (loyal)
        {
            payloads.Add(Order(id, 1));
            payloads.Add(Order(id, 2));
        }
        payloads.Add(new StoreVisited { storeId = "store-1", appInstalled = true });
        payloads.Add(new StoreVisited { storeId = "store-2", appInstalled = true });
        return [.. payloads.Select(p => new InteractionEvent
        {
            occurredAt = DateTime.UtcNow,
            channel = Channel.STORE,
            subject = new Subject { customerId = id },
            payload = p,
        })];
    }

    private static string IdOf(int index) => $"sim-{index:D6}";

    private static Dictionary<string, (bool Loyal, bool Consents)> Draw(int customers, int seed)
    {
        var random = new Random(seed);
        var traits = new Dictionary<string, (bool Loyal, bool Consents)>(customers);
        for (var i = 0; i < customers; i++)
        {
            traits[IdOf(i)] = (random.Next(2) == 0, random.Next(5) != 0);
        }
        return traits;
    }

    private static OrderPlaced Order(string customerId, int number) =>
        new() { orderId = $"{customerId}-o{number}", lines = [], total = Amount.Of(40m), currency = "EUR", storeId = "store-1" };
}
