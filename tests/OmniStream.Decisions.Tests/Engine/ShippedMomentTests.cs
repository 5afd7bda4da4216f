using OmniStream.Customers.State;
using OmniStream.Decisions.Engine;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;

namespace OmniStream.Decisions.Tests.Engine;

/// <summary>Each moment of the shipped policies, decided without Kafka (the worker's scenario tests run them end to end).</summary>
public class ShippedMomentTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    [Test]
    public void An_action_written_into_again_for_the_next_record_is_the_action_a_new_one_would_be()
    {
        var task = new DecisionList();
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        var bob = new DecidedCustomer("bob").ConsentingEverywhere();
        var bobAlone = new DecidedCustomer("bob").ConsentingEverywhere();
        var annaCart = anna.Events.CartUpdated(Channel.WEB, ("sku-1", 2, 10m), ("sku-2", 1, 5m));
        var bobCart = bob.Events.CartUpdated(Channel.MOBILE_APP, ("sku-9", 1, 99m));
        annaCart.traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        anna.Happens(annaCart);
        bob.Happens(bobCart);
        bobAlone.Happens(bobCart);

        var first = anna.TimePasses(annaCart.occurredAt + Idle, task).Single().Action!;
        task.Clear();
        var again = bob.TimePasses(bobCart.occurredAt + Idle, task).Single().Action!;
        var alone = bobAlone.TimePasses(bobCart.occurredAt + Idle).Single().Action!;

        var serde = new AvroSerde<NextBestAction>(SchemaCatalog.Default);
        Assert.That(again, Is.SameAs(first), "written into again");
        Assert.That(serde.Serialize(again, "actions"), Is.EqualTo(serde.Serialize(alone, "actions")));
    }

    [Test]
    public void Only_events_a_moment_comes_on_may_trigger_one()
    {
        var events = new DecidedCustomer("anna").Events;

        Assert.Multiple(() =>
        {
            Assert.That(DecisionEngine.MayTrigger(DecidedCustomer.Shipped, events.CartUpdated(Channel.WEB, ("sku-1", 1, 10m))), Is.True);
            Assert.That(DecisionEngine.MayTrigger(DecidedCustomer.Shipped, events.StoreVisited()), Is.True);
            Assert.That(DecisionEngine.MayTrigger(DecidedCustomer.Shipped, events.PageViewed(Channel.WEB)), Is.False);
            Assert.That(DecisionEngine.MayTrigger(DecidedCustomer.Shipped, events.ProductViewed(Channel.WEB, "sku-1")), Is.False);
        });
    }

    [Test]
    public void An_idle_cart_is_reminded_where_the_customer_is_now_with_its_lines_and_reasons()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        var cart = anna.Events.CartUpdated(Channel.WEB, ("sku-1", 2, 10m), ("sku-2", 1, 5m));
        Assert.That(anna.Happens(cart), Is.Empty, "nothing is decided before the idle time");
        anna.Happens(anna.Events.After(TimeSpan.FromMinutes(5)).AppOpened());

        Assert.That(anna.TimePasses(cart.occurredAt + Idle - TimeSpan.FromSeconds(1)), Is.Empty);
        var decision = anna.TimePasses(cart.occurredAt + Idle).Single();

        var action = decision.Action!;
        Assert.That(decision.Kind, Is.EqualTo(DecisionKind.Sent));
        Assert.That(action.channel, Is.EqualTo(Channel.MOBILE_APP));
        Assert.That(action.actionType, Is.EqualTo(ActionType.CART_REMINDER));
        Assert.That(action.parameters["lines"], Is.EqualTo("sku-1x2,sku-2x1"));
        Assert.That(action.parameters["total"], Is.EqualTo("25.00"));
        Assert.That(action.reasonCodes, Is.EqualTo(new[] { "CART_IDLE", "LAST_ACTIVE_CHANNEL", "ONLY_ELIGIBLE_ACTION", "MARKETING_CONSENT_GRANTED" }));
        Assert.That(action.rulesFired[0], Is.EqualTo("moment cart_idle: on CartUpdated, after 30m"));
        Assert.That(action.rulesFired, Has.Some.StartsWith("score cart_reminder:").And.Some.StartsWith("consent: MARKETING on MOBILE_APP granted"));
        Assert.That(action.triggerEventId, Is.EqualTo(cart.eventId));
        Assert.That(action.triggeredAt, Is.EqualTo(cart.occurredAt + Idle));
        Assert.That(anna.TimePasses(cart.occurredAt + Idle * 3), Is.Empty, "one reminder per cart update");
    }

    [Test]
    public void A_cart_updated_again_restarts_the_wait_and_an_order_cancels_the_reminder()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        var first = anna.Events.CartUpdated(Channel.WEB, ("sku-1", 1, 10m));
        anna.Happens(first);
        var second = anna.Events.After(TimeSpan.FromMinutes(20)).CartUpdated(Channel.WEB, ("sku-1", 2, 10m));
        anna.Happens(second);
        Assert.That(anna.TimePasses(first.occurredAt + Idle), Is.Empty);

        anna.Happens(anna.Events.After(TimeSpan.FromMinutes(5)).OrderPlaced(Channel.WEB, 20m));
        var decision = anna.TimePasses(second.occurredAt + Idle).Single();

        Assert.That(decision.Kind, Is.EqualTo(DecisionKind.None));
        Assert.That(decision.Refusals.Single(), Does.Contain("cart_value > 0 does not hold"));
    }

    [Test]
    public void Without_marketing_consent_no_cart_reminder_goes_and_the_refusal_says_why()
    {
        var bob = new DecidedCustomer("bob");
        var cart = bob.Events.CartUpdated(Channel.WEB, ("sku-1", 1, 10m));
        bob.Happens(cart);
        bob.Happens(bob.Events.MarketingConsent(Channel.WEB, granted: false));

        var decision = bob.TimePasses(cart.occurredAt + Idle).Single();

        Assert.That(decision.Kind, Is.EqualTo(DecisionKind.None));
        Assert.That(decision.Refusals.Single(), Does.Contain("no channel").And.Contain("MARKETING consent"));
        var kept = bob.State.Silent.Single();
        Assert.That(kept.Moment, Is.EqualTo("cart_idle"));
        Assert.That(kept.DecidedAt, Is.EqualTo(cart.occurredAt + Idle));
        Assert.That(kept.Reasons, Is.EqualTo(decision.Refusals), "the customer's state keeps why nothing went");
    }

    [Test]
    public void A_state_keeps_the_latest_ten_moments_that_sent_nothing_and_a_replay_adds_none()
    {
        var bob = new DecidedCustomer("bob");
        for (var visit = 0; visit < 12; visit++)
        {
            bob.Happens(bob.Events.After(TimeSpan.FromHours(3)).StoreVisited($"store-{visit}"));
        }
        var silent = bob.State.Silent.ToList();

        Assert.That(silent, Has.Count.EqualTo(CustomerFold.SilentDecisionsKept));
        Assert.That(silent.Select(s => s.DecidedAt), Is.Ordered.Descending);
        Assert.That(silent.Select(s => s.Moment), Is.All.EqualTo("store_visit"));
        CustomerFold.WithSilence(bob.State, silent[3]);
        Assert.That(bob.State.Silent, Is.EqualTo(silent), "a silent decision kept already is not kept twice");
    }

    [Test]
    public void An_order_is_followed_the_next_morning_at_nine_local_time_by_email_unless_a_ticket_is_open()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        anna.Happens(anna.Events.ProfileUpdated(Channel.WEB, "time_zone", "America/New_York"));
        var order = anna.Events.After(TimeSpan.FromHours(12)).OrderPlaced(Channel.WEB, 80m); // 2026-11-22 21:00 UTC = 16:00 in New York
        anna.Happens(order);
        var nineNextMorning = new DateTime(2026, 11, 23, 14, 0, 0, DateTimeKind.Utc);

        Assert.That(anna.State.NextDue, Is.EqualTo(nineNextMorning));
        var action = anna.TimePasses(nineNextMorning).Single().Action!;
        Assert.That(action.channel, Is.EqualTo(Channel.EMAIL));
        Assert.That(action.actionType, Is.EqualTo(ActionType.PRODUCT_RECOMMENDATION));
        Assert.That(action.parameters["orderId"], Is.EqualTo(((OrderPlaced)order.payload).orderId));

        var carl = new DecidedCustomer("carl").ConsentingEverywhere();
        carl.Happens(carl.Events.OrderPlaced(Channel.WEB, 80m));
        carl.Happens(carl.Events.After(TimeSpan.FromHours(2)).TicketOpened(Channel.CALL_CENTER, "t-1"));
        Assert.That(carl.TimePasses(carl.State.NextDue!.Value).Single().Kind, Is.EqualTo(DecisionKind.None));
    }

    [Test]
    public void A_store_visit_with_the_app_installed_sends_a_push_with_the_loyalty_balance()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        anna.Happens(anna.Events.ProfileUpdated(Channel.WEB, "loyalty_points", "1250"));

        var action = anna.Happens(anna.Events.After(TimeSpan.FromDays(1)).StoreVisited("store-7")).Single().Action!;

        Assert.That(action.channel, Is.EqualTo(Channel.MOBILE_APP));
        Assert.That(action.actionType, Is.EqualTo(ActionType.PUSH_NOTIFICATION));
        Assert.That(action.parameters["loyaltyPoints"], Is.EqualTo("1250"));
        Assert.That(action.parameters["storeId"], Is.EqualTo("store-7"));
        Assert.That(action.parameters["offer"], Is.EqualTo("STORE10"));
    }

    [Test]
    public void A_detractor_gets_a_callback_task_and_no_marketing_for_seven_days()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        var survey = anna.Events.After(TimeSpan.FromDays(1)).SurveyAnswered(Channel.EMAIL, nps: 4);

        var callback = anna.Happens(survey).Single().Action!;
        Assert.That(callback.channel, Is.EqualTo(Channel.CALL_CENTER));
        Assert.That(callback.actionType, Is.EqualTo(ActionType.CALLBACK_TASK));
        Assert.That(callback.reasonCodes[0], Is.EqualTo("NPS_DETRACTOR"));
        Assert.That(anna.State.MarketingPausedUntil, Is.EqualTo(survey.occurredAt + TimeSpan.FromDays(7)));

        var visit = anna.Happens(anna.Events.After(TimeSpan.FromDays(6)).StoreVisited()).Single();
        Assert.That(visit.Kind, Is.EqualTo(DecisionKind.None));
        Assert.That(visit.Refusals.Single(), Does.Contain("MARKETING_PAUSED"));
        Assert.That(anna.Happens(anna.Events.After(TimeSpan.FromDays(2)).StoreVisited()).Single().Kind, Is.EqualTo(DecisionKind.Sent));
    }

    [Test]
    public void A_resolved_ticket_gets_an_effort_survey_on_the_channel_it_was_opened_on()
    {
        var anna = new DecidedCustomer("anna");
        anna.Happens(anna.Events.TicketOpened(Channel.CHATBOT, "t-9"));

        var action = anna.Happens(anna.Events.After(TimeSpan.FromHours(3)).TicketResolved(Channel.CALL_CENTER, "t-9")).Single().Action!;

        Assert.That(action.channel, Is.EqualTo(Channel.CHATBOT));
        Assert.That(action.actionType, Is.EqualTo(ActionType.SURVEY));
        Assert.That(action.parameters["ticketId"], Is.EqualTo("t-9"));
    }

    [Test]
    public void Entering_at_risk_brings_a_retention_offer_on_the_preferred_channel()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        for (var i = 0; i < 10; i++)
        {
            anna.Happens(anna.Events.AppOpened());
        }

        var decision = anna.TimePasses(anna.Events.Now + TimeSpan.FromDays(61), "at_risk").Single();

        Assert.That(decision.Record!.Type, Is.EqualTo(ActionType.OFFER));
        Assert.That(decision.Record.Channel, Is.EqualTo(Channel.MOBILE_APP));
        Assert.That(decision.Record.Action, Is.AnyOf("retention_discount", "retention_free_delivery"));
    }

    [Test]
    public void A_service_booked_online_brings_a_staff_note_now_and_a_reminder_the_day_before()
    {
        var anna = new DecidedCustomer("anna");
        var scheduled = anna.Events.Now + TimeSpan.FromDays(3);

        var booked = anna.Happens(anna.Events.ServiceBooked(Channel.WEB, "b-1", scheduled, "store-3")).Single();
        Assert.That(booked.Kind, Is.EqualTo(DecisionKind.Sent), string.Join("; ", booked.Refusals));
        var note = booked.Action!;
        Assert.That(note.channel, Is.EqualTo(Channel.STORE));
        Assert.That(note.actionType, Is.EqualTo(ActionType.STAFF_NOTE));
        Assert.That(note.parameters["bookingId"], Is.EqualTo("b-1"));

        Assert.That(anna.State.NextDue, Is.EqualTo(scheduled - TimeSpan.FromDays(1)));
        var reminder = anna.TimePasses(scheduled - TimeSpan.FromDays(1)).Single().Action!;
        Assert.That(reminder.actionType, Is.EqualTo(ActionType.SERVICE_REMINDER));
        Assert.That(reminder.channel, Is.EqualTo(Channel.WEB));
        Assert.That(reminder.expiresAt, Is.EqualTo(scheduled));
    }
}
