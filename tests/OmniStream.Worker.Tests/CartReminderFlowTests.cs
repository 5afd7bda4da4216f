using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Worker.Tests;

/// <summary>Channel publisher → worker → omni.actions.{channel}, through a real cluster.</summary>
public class CartReminderFlowTests
{
    [Test]
    public async Task A_cart_left_on_the_web_is_reminded_in_the_app_where_the_customer_is_now()
    {
        // Long enough for both events (on two topics) to be read before the reminder is due.
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromSeconds(3));
        var anna = new Interactions("anna-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        using var actions = new ActionReader();

        await worker.GrantMarketingAsync(anna);
        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 2, 10m)));
        await worker.Publisher.PublishAsync(anna.After(TimeSpan.FromMilliseconds(10)).AppOpened());
        var (action, topic) = (await actions.WithTopicsWhenAsync(anna.CustomerId, 1)).Single();

        Assert.That(topic, Is.EqualTo(TopicCatalog.Actions(Channel.MOBILE_APP).Name));
        Assert.That(action.actionType, Is.EqualTo(ActionType.CART_REMINDER));
        Assert.That(action.channel, Is.EqualTo(Channel.MOBILE_APP));
        Assert.That(action.reasonCodes, Does.Contain("CART_IDLE"));
        Assert.That(action.parameters["lines"], Is.EqualTo("sku-1x2"));
    }

    [Test]
    public async Task A_cart_that_was_ordered_gets_no_reminder()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMilliseconds(500));
        var buyer = new Interactions("buyer-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        var control = new Interactions("control-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        using var actions = new ActionReader();

        await worker.GrantMarketingAsync(buyer);
        await worker.Publisher.PublishAsync(buyer.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        await worker.Publisher.PublishAsync(buyer.After(TimeSpan.FromMilliseconds(10)).OrderPlaced(Channel.WEB, 10m));
        // The control customer abandons a cart after the buyer ordered: once its reminder is out,
        // the buyer's (due earlier) would have been out too.
        await worker.GrantMarketingAsync(control);
        await worker.Publisher.PublishAsync(control.After(TimeSpan.FromMilliseconds(20)).CartUpdated(Channel.WEB, ("sku-2", 1, 5m)));
        await actions.WhenAsync(control.CustomerId, 1);

        Assert.That(await actions.SeenForAsync(buyer.CustomerId), Is.Empty);
    }

    [Test]
    public async Task A_reminder_is_not_sent_twice_for_the_same_cart()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMilliseconds(300));
        var anna = new Interactions("anna-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        var later = new Interactions("later-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        using var actions = new ActionReader();

        await worker.GrantMarketingAsync(anna);
        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        await actions.WhenAsync(anna.CustomerId, 1);
        await worker.Publisher.PublishAsync(anna.After(TimeSpan.FromSeconds(1)).PageViewed(Channel.WEB));
        await worker.GrantMarketingAsync(later);
        await worker.Publisher.PublishAsync(later.After(TimeSpan.FromSeconds(1)).CartUpdated(Channel.WEB, ("sku-2", 1, 5m)));
        await actions.WhenAsync(later.CustomerId, 1);

        Assert.That(await actions.SeenForAsync(anna.CustomerId), Has.Count.EqualTo(1));
    }
}
