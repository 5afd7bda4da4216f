using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Worker.Tests.Driven;

/// <summary>The cart reminder: channel events in, <c>omni.actions.{channel}</c> out, on the stage test driver.</summary>
public class CartReminderScenarioTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);

    [Test]
    public async Task A_cart_left_on_the_web_is_reminded_in_the_app_where_the_customer_is_now()
    {
        using var worker = DrivenWorker.Create(Idle);
        var anna = new Interactions("anna", worker.Now);

        await worker.GrantMarketingAsync(anna);
        await worker.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 2, 10m)));
        await worker.PublishAsync(anna.After(TimeSpan.FromMilliseconds(10)).AppOpened());
        Assert.That(worker.ActionsFor(anna.CustomerId), Is.Empty, "not before the cart has been idle");
        await worker.AdvanceAsync(Idle, step: TimeSpan.FromSeconds(1));
        var (action, topic) = worker.ActionsWithTopics(anna.CustomerId).Single();

        Assert.That(topic, Is.EqualTo(TopicCatalog.Actions(Channel.MOBILE_APP).Name));
        Assert.That(action.actionType, Is.EqualTo(ActionType.CART_REMINDER));
        Assert.That(action.channel, Is.EqualTo(Channel.MOBILE_APP));
        Assert.That(action.reasonCodes, Does.Contain("CART_IDLE"));
        Assert.That(action.parameters["lines"], Is.EqualTo("sku-1x2"));
    }

    [Test]
    public async Task A_reminder_continues_the_trace_of_the_cart_update_and_the_cart_keeps_none_of_its_own()
    {
        using var worker = DrivenWorker.Create(Idle);
        var anna = new Interactions("anna", worker.Now);
        const string trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        await worker.GrantMarketingAsync(anna);
        var update = anna.CartUpdated(Channel.WEB, ("sku-1", 2, 10m));
        update.traceParent = trace;

        await worker.PublishAsync(update);
        await worker.AdvanceAsync(Idle, step: TimeSpan.FromSeconds(1));

        Assert.That(worker.ActionsFor(anna.CustomerId).Single().traceParent, Is.EqualTo(trace));
        var state = worker.State(anna.CustomerId)!;
        Assert.That(state.LatestCart!.TraceParent, Is.Null, "the pending moment held the trace");
        var done = state.Pending.Values.Single();
        Assert.That((done.IsWaiting, done.TraceParent, done.Facts.Count), Is.EqualTo((false, (string?)null, 0)), "decided, it keeps neither trace nor facts");
    }

    [Test]
    public async Task A_cart_that_was_ordered_gets_no_reminder()
    {
        using var worker = DrivenWorker.Create(Idle);
        var buyer = new Interactions("buyer", worker.Now);
        var control = new Interactions("control", worker.Now);
        await worker.GrantMarketingAsync(buyer);
        await worker.GrantMarketingAsync(control);

        await worker.PublishAsync(buyer.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        await worker.PublishAsync(buyer.After(TimeSpan.FromMilliseconds(10)).OrderPlaced(Channel.WEB, 10m));
        await worker.PublishAsync(control.After(TimeSpan.FromMilliseconds(20)).CartUpdated(Channel.WEB, ("sku-2", 1, 5m)));
        await worker.AdvanceAsync(Idle * 2, step: TimeSpan.FromSeconds(1));

        Assert.That(worker.ActionsFor(control.CustomerId), Has.Count.EqualTo(1), "the abandoned cart of the control customer is reminded");
        Assert.That(worker.ActionsFor(buyer.CustomerId), Is.Empty);
    }

    [Test]
    public async Task A_reminder_is_not_sent_twice_for_the_same_cart()
    {
        using var worker = DrivenWorker.Create(Idle);
        var anna = new Interactions("anna", worker.Now);
        await worker.GrantMarketingAsync(anna);

        await worker.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        await worker.AdvanceAsync(Idle, step: TimeSpan.FromSeconds(1));
        Assert.That(worker.ActionsFor(anna.CustomerId), Has.Count.EqualTo(1));
        await worker.PublishAsync(anna.After(Idle + TimeSpan.FromSeconds(1)).PageViewed(Channel.WEB));
        await worker.AdvanceAsync(Idle * 3, step: TimeSpan.FromSeconds(1));

        Assert.That(worker.ActionsFor(anna.CustomerId), Has.Count.EqualTo(1));
    }
}
