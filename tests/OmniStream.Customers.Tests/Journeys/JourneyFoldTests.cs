using OmniStream.Customers.Journeys;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.Journeys;

public class JourneyFoldTests
{
    private readonly Interactions _anna = new("anna");

    private static CustomerJourney Fold(params InteractionEvent[] events) =>
        events.Aggregate(CustomerJourney.Empty("anna"), JourneyFold.Apply);

    [Test]
    public void A_cart_filled_on_the_web_stays_open_when_the_customer_moves_to_the_app()
    {
        var journey = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 2, 10m)), _anna.After(TimeSpan.FromMinutes(3)).AppOpened());

        Assert.That(journey.LastChannel, Is.EqualTo(Channel.MOBILE_APP));
        Assert.That(journey.Cart!.Channel, Is.EqualTo(Channel.WEB));
        Assert.That(journey.Cart.Total, Is.EqualTo(20m));
        Assert.That(journey.Cart.Lines.Single().productId, Is.EqualTo("sku-1"));
    }

    [Test]
    public void An_order_closes_the_cart()
    {
        var journey = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)), _anna.After(TimeSpan.FromMinutes(1)).OrderPlaced(Channel.WEB, 10m));

        Assert.That(journey.Cart, Is.Null);
    }

    [Test]
    public void An_emptied_cart_is_no_open_cart()
    {
        var journey = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)), _anna.After(TimeSpan.FromMinutes(1)).CartUpdated(Channel.WEB));

        Assert.That(journey.Cart, Is.Null);
    }

    [Test]
    public void A_late_cart_update_does_not_replace_a_newer_one()
    {
        var older = _anna.CartUpdated(Channel.WEB, ("sku-old", 1, 5m));
        var newer = _anna.After(TimeSpan.FromMinutes(5)).CartUpdated(Channel.MOBILE_APP, ("sku-new", 1, 7m));

        var journey = Fold(newer, older);

        Assert.That(journey.Cart!.Lines.Single().productId, Is.EqualTo("sku-new"));
        Assert.That(journey.LastChannel, Is.EqualTo(Channel.MOBILE_APP));
    }

    [Test]
    public void The_same_event_twice_changes_nothing_the_second_time()
    {
        var cart = _anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m));
        var visit = _anna.After(TimeSpan.FromMinutes(1)).StoreVisited();

        var once = Fold(cart, visit);

        var again = new[] { visit, cart }.Aggregate(once, JourneyFold.Apply);

        Assert.That(again, Is.EqualTo(once));
    }

    [Test]
    public void A_reminded_cart_awaits_no_reminder_until_it_changes()
    {
        var reminded = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m))).WithCartReminded();
        var changed = JourneyFold.Apply(reminded, _anna.After(TimeSpan.FromMinutes(1)).CartUpdated(Channel.WEB, ("sku-1", 2, 10m)));

        Assert.That(reminded.CartAwaitsReminder, Is.False);
        Assert.That(changed.CartAwaitsReminder, Is.True);
    }
}
