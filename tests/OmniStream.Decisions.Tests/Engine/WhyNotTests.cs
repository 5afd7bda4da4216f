using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Decisions.Engine;
using OmniStream.Decisions.Experiments;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Tests.Engine;

/// <summary>"Why not?" names every rule that stops an action, by the engine's own checks, and changes nothing.</summary>
public class WhyNotTests
{
    private static readonly TimeSpan OrderWindow = TimeSpan.FromDays(365);

    [Test]
    public void A_customer_paused_after_a_poor_nps_is_told_the_pause_and_asking_decides_nothing()
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

    [Test]
    public void Quiet_hours_in_the_customers_time_zone_hold_an_action_that_may_otherwise_go()
    {
        var emma = new DecidedCustomer("emma").ConsentingEverywhere();
        emma.Happens(emma.Events.ProfileUpdated(Channel.WEB, "time_zone", "Europe/Paris"));
        // 22:00 UTC is 23:00 in Paris in November: inside 21:00-08:00.
        var cart = emma.Events.After(TimeSpan.FromHours(13)).CartUpdated(Channel.WEB, ("sku-1", 1, 30m));
        emma.Happens(cart);

        var answer = WhyNot.Ask(emma.Policies, emma.State, "cart_reminder", cart.occurredAt.AddMinutes(30), OrderWindow)!;

        Assert.That(answer.Stops, Is.EqualTo(new[] { "quiet hours 21:00-08:00 in Europe/Paris: held until 2026-11-23T07:00:00.0000000Z" }));
        Assert.That(answer.Channel, Is.EqualTo(Channel.WEB), "nothing else stops it");
    }

    [Test]
    public void A_customer_in_the_experiments_control_group_is_told_the_offer_is_withheld_from_them()
    {
        var experiment = DecidedCustomer.Shipped.Actions["retention_discount"].Experiment!;
        var id = Enumerable.Range(0, 1000).Select(i => $"c-{i}").First(c => ExperimentAssigner.Variant(experiment, c) == ExperimentDefinition.Control);
        var fred = new DecidedCustomer(id).ConsentingEverywhere();
        var now = fred.Events.After(TimeSpan.FromHours(1)).Now;

        var answer = WhyNot.Ask(fred.Policies, fred.State, "retention_discount", now, OrderWindow)!;

        Assert.That(answer.Variant, Is.EqualTo("control"));
        Assert.That(answer.Stops, Is.EqualTo(new[] { "experiment retention-2026: the customer is in its control group, from whom it is withheld" }));
    }

    [Test]
    public void Every_rule_listed_begins_with_the_one_refusal_the_engine_decides_on()
    {
        var paused = new DecidedCustomer("gus");
        paused.Happens(paused.Events.SurveyAnswered(Channel.WEB, nps: 0));
        paused.Happens(paused.Events.After(TimeSpan.FromMinutes(1)).CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        var consenting = new DecidedCustomer("hal").ConsentingEverywhere();
        consenting.Happens(consenting.Events.After(TimeSpan.FromHours(1)).StoreVisited());
        foreach (var customer in new[] { paused, consenting, new DecidedCustomer("ida") })
        {
            var now = customer.Events.After(TimeSpan.FromMinutes(5)).Now;
            var trigger = new PendingDecision("m", "m", now, now, Guid.Empty, Channel.WEB, null, TriggerFacts.None);
            var figures = SegmentMetrics.Of(customer.State, now, OrderWindow);
            foreach (var action in customer.Policies.Actions.Values)
            {
                var first = ActionEligibility.Refusal(customer.Policies.ContactRules, action, customer.State, trigger, figures, now, out var channel);
                var all = ActionEligibility.Refusals(customer.Policies.ContactRules, action, customer.State, trigger, figures, now, out var sameChannel);

                Assert.That(all.Count == 0 ? null : all[0], Is.EqualTo(first), $"{customer.State.CustomerId} {action.Name}");
                if (first is null)
                {
                    Assert.That(sameChannel, Is.EqualTo(channel), "the same channel when nothing stops it");
                }
            }
        }
    }
}
