using OmniStream.Customers.State;
using OmniStream.Decisions.CartReminders;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Decisions.Tests.CartReminders;

public class CartReminderPolicyTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private readonly CartReminderPolicy _policy = new(new CartReminderOptions { IdleTime = Idle });
    private readonly Interactions _anna = new("anna");

    private static CustomerState Fold(params InteractionEvent[] events) =>
        new CustomerFold(new FoldOptions()).ApplyAll(CustomerState.Empty("anna"), events);

    [Test]
    public void A_cart_is_not_reminded_before_the_idle_time()
    {
        var journey = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));

        Assert.That(_policy.Decide(journey, _anna.Now + Idle - TimeSpan.FromSeconds(1)), Is.Null);
    }

    [Test]
    public void An_idle_cart_is_reminded_on_the_channel_the_customer_uses_now_with_its_reasons()
    {
        var cartUpdate = _anna.CartUpdated(Channel.WEB, ("sku-1", 2, 10m), ("sku-2", 1, 5m));
        var journey = Fold(cartUpdate, _anna.After(TimeSpan.FromMinutes(5)).AppOpened());
        var due = cartUpdate.occurredAt + Idle;

        var action = _policy.Decide(journey, due)!;

        Assert.That(action.channel, Is.EqualTo(Channel.MOBILE_APP));
        Assert.That(action.actionType, Is.EqualTo(ActionType.CART_REMINDER));
        Assert.That(action.customerId, Is.EqualTo("anna"));
        Assert.That(action.reasonCodes, Is.EqualTo(new[] { "CART_IDLE", "LAST_ACTIVE_CHANNEL" }));
        Assert.That(action.rulesFired[0], Does.Contain("cart-anna").And.Contain("25.00 EUR").And.Contain("WEB"));
        Assert.That(action.parameters["lines"], Is.EqualTo("sku-1x2,sku-2x1"));
        Assert.That(action.triggerEventId, Is.EqualTo(cartUpdate.eventId));
        Assert.That(action.triggeredAt, Is.EqualTo(due));
    }

    [Test]
    public void An_ordered_cart_is_not_reminded()
    {
        var journey = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)), _anna.After(TimeSpan.FromMinutes(2)).OrderPlaced(Channel.WEB, 10m));

        Assert.That(_policy.DueAt(journey), Is.Null);
        Assert.That(_policy.Decide(journey, _anna.Now + Idle * 2), Is.Null);
    }

    [Test]
    public void A_cart_is_reminded_once_until_it_changes_again()
    {
        var journey = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m))).WithCartReminded();
        var changed = new CustomerFold(new FoldOptions()).Apply(journey, _anna.After(TimeSpan.FromHours(1)).CartUpdated(Channel.WEB, ("sku-1", 3, 10m))).State;

        Assert.That(_policy.Decide(journey, _anna.Now + Idle * 10), Is.Null);
        Assert.That(_policy.Decide(changed, _anna.Now + Idle), Is.Not.Null);
    }

    [Test]
    public void A_customer_last_seen_in_a_store_is_reminded_on_the_fallback_channel()
    {
        var journey = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)), _anna.After(TimeSpan.FromMinutes(1)).StoreVisited());

        var action = _policy.Decide(journey, _anna.Now + Idle)!;

        Assert.That(action.channel, Is.EqualTo(Channel.EMAIL));
        Assert.That(action.reasonCodes, Does.Contain("FALLBACK_CHANNEL"));
    }

    [Test]
    public void Deciding_the_same_reminder_twice_gives_the_same_action_id()
    {
        var journey = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));

        var first = _policy.Decide(journey, _anna.Now + Idle)!;
        var replay = _policy.Decide(journey, _anna.Now + Idle + TimeSpan.FromSeconds(5))!;

        Assert.That(replay.actionId, Is.EqualTo(first.actionId));
    }
}
