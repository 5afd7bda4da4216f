using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Chaos.Tests;

/// <summary>
/// The population of the crash test: each customer sends one short burst of events and then goes
/// quiet, so that what the worker must end up with is known whatever the timing: a cart left
/// open (one or two updates) gets one reminder if the customer gave marketing consent (four in
/// five do, first thing in their burst); a cart ordered or a visit without a cart gets none.
/// A burst stays on one channel: events on different channel topics travel through different
/// partitions of the first stage, and while a killed worker's partitions wait for its session to
/// expire, the second event of a cross-channel burst may arrive after the idle time, when a
/// reminder for the first one is rightly due.
/// One customer in four starts as an anonymous visitor on the website (a page view and a cart under
/// a cookie id) and then logs in there: those events go through stage identity, which ties the cookie
/// to the customer and moves what it gathered, while the customer's own events (the consent, the
/// login) go from the first stage straight to the customers stage. Either way the customer ends with
/// the state of all their events and one reminder for an open cart.
/// </summary>
internal sealed class ChaosTraffic(int customers, int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>The events sent so far, per customer, in the order sent.</summary>
    public Dictionary<string, List<InteractionEvent>> Sent { get; } = [];

    /// <summary>The burst of customer number <paramref name="index"/>, stamped now (millisecond precision, as the wire keeps it).</summary>
    public List<InteractionEvent> NextBurst(int index, DateTime now)
    {
        var id = $"chaos-{seed}-{index:D5}";
        var customer = new Interactions(id, new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc));
        var anonymousFirst = _random.Next(4) == 0;
        var channel = anonymousFirst ? Channel.WEB : _random.Next(3) switch { 0 => Channel.WEB, 1 => Channel.MOBILE_APP, _ => Channel.STORE };
        // Where a reminder would go: the burst's channel, or email for a store visit.
        var reminderChannel = channel == Channel.STORE ? Channel.EMAIL : channel;
        List<InteractionEvent> burst = _random.Next(5) == 0 ? [] : [customer.ConsentChanged(channel, Purpose.MARKETING, reminderChannel, granted: true)];
        customer.After(TimeSpan.FromMilliseconds(1));
        if (anonymousFirst)
        {
            var cookie = $"cookie-{seed}-{index:D5}";
            var visitor = Interactions.Anonymous(cookie, customer.Now);
            burst.Add(visitor.PageViewed(Channel.WEB));
            burst.Add(visitor.After(TimeSpan.FromMilliseconds(1)).CartUpdated(Channel.WEB, ("sku-4", 1, 29m)));
            customer.Now = visitor.Now.AddMilliseconds(1);
            burst.Add(customer.Identified(Channel.WEB, cookie));
            Sent[id] = burst;
            return burst;
        }
        burst.AddRange(_random.Next(4) switch
        {
            0 => (List<InteractionEvent>)[customer.CartUpdated(channel, ("sku-1", 1, 19.99m))],
            1 => [customer.CartUpdated(channel, ("sku-1", 1, 19.99m)), customer.After(TimeSpan.FromMilliseconds(1)).CartUpdated(channel, ("sku-1", 1, 19.99m), ("sku-2", 2, 5m))],
            2 => [customer.CartUpdated(channel, ("sku-3", 1, 49m)), customer.After(TimeSpan.FromMilliseconds(1)).OrderPlaced(channel, 49m)],
            _ => [customer.PageViewed(channel)],
        });
        Sent[id] = burst;
        return burst;
    }

    /// <summary>Total events sent.</summary>
    public int EventCount => Sent.Values.Sum(events => events.Count);

    /// <summary>How many customers sent a burst.</summary>
    public int Customers => customers;
}
