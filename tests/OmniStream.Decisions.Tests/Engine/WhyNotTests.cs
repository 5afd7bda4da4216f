using OmniStream.Decisions.Engine;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Tests.Engine;

/// <summary>"Why not?" names every rule that stops an action, by the engine's own checks, and changes nothing.</summary>
public class WhyNotTests
{
    private static readonly TimeSpan OrderWindow = TimeSpan.FromDays(365);

    [Test]
    public void A_customer_paused_after_a_poor_nps_is_told_the_pause_and_every_other_rule_that_stops_the_cart_reminder()
    {
        var anna = new DecidedCustomer("anna");
        anna.Happens(anna.Events.MarketingConsent(Channel.WEB));
        var survey = anna.Events.After(TimeSpan.FromHours(1)).SurveyAnswered(Channel.WEB, nps: 2);
        anna.Happens(survey);
        var cart = anna.Events.After(TimeSpan.FromMinutes(5)).CartUpdated(Channel.WEB, ("sku-1", 1, 40m));
        anna.Happens(cart);
        var now = cart.occurredAt.AddMinutes(1);
        var before = anna.State.Pending.Values.ToList();

        var answer = WhyNot.Ask(anna.Policies, anna.State, "cart_reminder", now, OrderWindow)!;

        Assert.That(answer.WouldGoNow, Is.False);
        Assert.That(answer.Moment, Is.EqualTo("cart_idle"));
        Assert.That(answer.WaitingUntil, Is.EqualTo(cart.occurredAt + TimeSpan.FromMinutes(30)));
        Assert.That(answer.Stops, Has.Some.StartsWith("MARKETING_PAUSED: marketing paused until"));
        Assert.That(anna.State.Pending.Values, Is.EqualTo(before), "asking decided nothing");
        Assert.That(anna.State.MarketingPausedUntil, Is.EqualTo(survey.occurredAt + TimeSpan.FromDays(7)));
    }

    [Test]
    public void Without_consent_anywhere_the_cart_reminder_has_no_channel_and_the_pause_is_named_too()
    {
        var bob = new DecidedCustomer("bob");
        bob.Happens(bob.Events.SurveyAnswered(Channel.WEB, nps: 1));
        var cart = bob.Events.After(TimeSpan.FromMinutes(5)).CartUpdated(Channel.WEB, ("sku-1", 2, 10m));
        bob.Happens(cart);

        var answer = WhyNot.Ask(bob.Policies, bob.State, "cart_reminder", cart.occurredAt.AddMinutes(1), OrderWindow)!;

        Assert.That(answer.Channel, Is.Null);
        Assert.That(answer.Stops, Has.Some.StartsWith("no channel: last_active has no MARKETING consent"));
        Assert.That(answer.Stops, Has.Some.StartsWith("MARKETING_PAUSED"), "the contact rules are checked on the channel the rule names");
    }

    [Test]
    public void A_consenting_customer_with_a_cart_would_get_the_reminder_now_on_the_channel_the_engine_picks()
    {
        var carl = new DecidedCustomer("carl").ConsentingEverywhere();
        var cart = carl.Events.After(TimeSpan.FromDays(1)).CartUpdated(Channel.MOBILE_APP, ("sku-1", 1, 25m));
        carl.Happens(cart);
        var due = cart.occurredAt + TimeSpan.FromMinutes(30);

        var answer = WhyNot.Ask(carl.Policies, carl.State, "cart_reminder", due, OrderWindow)!;
        var decided = carl.TimePasses(due).Single();

        Assert.That(answer.Stops, Is.Empty);
        Assert.That(answer.WouldGoNow, Is.True);
        Assert.That(decided.Action!.channel, Is.EqualTo(answer.Channel), "the same channel as the engine's decision");
    }

    [Test]
    public void An_empty_cart_is_named_as_the_condition_that_does_not_hold_and_an_unknown_action_has_no_answer()
    {
        var dora = new DecidedCustomer("dora").ConsentingEverywhere();
        var now = dora.Events.After(TimeSpan.FromDays(1)).StoreVisited().occurredAt;

        var answer = WhyNot.Ask(dora.Policies, dora.State, "cart_reminder", now, OrderWindow)!;

        Assert.That(answer.Stops, Has.Some.EqualTo("cart_value > 0 does not hold"));
        Assert.That(answer.WaitingUntil, Is.Null);
        Assert.That(WhyNot.Ask(dora.Policies, dora.State, "no_such_action", now, OrderWindow), Is.Null);
    }
}
