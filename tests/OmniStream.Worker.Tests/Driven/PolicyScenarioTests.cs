using System.Globalization;
using OmniStream.Channels.Topics;
using OmniStream.Decisions.Experiments;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;
using OmniStream.Worker.Definitions;

namespace OmniStream.Worker.Tests.Driven;

/// <summary>
/// Each moment of the shipped policies through the worker's stages on the stage test driver: events
/// in as the channel SDK sends them, actions out on <c>omni.actions.&lt;channel&gt;</c> with their
/// reasons. (The cart reminder has its own: <see cref="CartReminderScenarioTests"/>.)
/// </summary>
public class PolicyScenarioTests
{
    [Test]
    public async Task An_order_brings_a_complementary_product_by_email_the_next_morning_but_not_to_a_customer_with_an_open_ticket()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        // Ordered two days ago, in a time zone where it is now early afternoon: the next morning at 09:00 has passed, quiet hours have not begun.
        var zone = AfternoonZone(worker.Now);
        var ida = new Interactions(WorkerHarness.Unique("ida"), worker.Now.AddDays(-2));
        var jon = new Interactions(WorkerHarness.Unique("jon"), worker.Now.AddDays(-2));
        foreach (var customer in new[] { ida, jon })
        {
            await worker.GrantMarketingAsync(customer);
            await worker.PublishAsync(customer.ProfileUpdated(Channel.WEB, LocalTime.ProfileAttribute, zone));
        }
        await worker.PublishAsync(jon.TicketOpened(Channel.WEB, "t-" + jon.CustomerId));
        await worker.PublishAsync(jon.After(TimeSpan.FromMinutes(1)).OrderPlaced(Channel.WEB, 80m));
        var order = ida.After(TimeSpan.FromMinutes(1)).OrderPlaced(Channel.WEB, 80m);
        await worker.PublishAsync(order);

        var action = worker.ActionsFor(ida.CustomerId).Single();
        var nineNextMorning = NextMorning(order.occurredAt, zone);
        Assert.That(action.actionType, Is.EqualTo(ActionType.PRODUCT_RECOMMENDATION));
        Assert.That(action.channel, Is.EqualTo(Channel.EMAIL));
        Assert.That(action.triggeredAt, Is.EqualTo(nineNextMorning), "due at 09:00 local the day after the order");
        Assert.That(action.parameters["orderId"], Is.EqualTo(((OrderPlaced)order.payload).orderId));
        Assert.That(action.reasonCodes[0], Is.EqualTo("ORDER_FOLLOW_UP"));

        var decided = worker.ViewWhere(jon.CustomerId, v => v.GetProperty("orders").GetProperty("ordersLifetime").GetInt32() == 1
            && v.GetProperty("waiting").GetArrayLength() == 0, "jon's follow-up decided");
        Assert.That(decided.GetProperty("actions").GetArrayLength(), Is.Zero, "an open ticket holds the follow-up back");
    }

    [Test]
    public async Task A_store_visit_with_the_app_installed_sends_an_app_push_with_the_loyalty_balance_and_an_offer()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var kim = new Interactions(WorkerHarness.Unique("kim"), worker.Now);
        await worker.GrantMarketingAsync(kim, on: Channel.STORE);
        await worker.PublishAsync(kim.ProfileUpdated(Channel.STORE, ActionParameters.LoyaltyPointsAttribute, "1250"));
        await worker.PublishAsync(kim.After(TimeSpan.FromMilliseconds(5)).StoreVisited("store-7"));

        var (action, topic) = worker.ActionsWithTopics(kim.CustomerId).Single();

        Assert.That(topic, Is.EqualTo(TopicCatalog.Actions(Channel.MOBILE_APP).Name));
        Assert.That(action.actionType, Is.EqualTo(ActionType.PUSH_NOTIFICATION));
        Assert.That(action.parameters["loyaltyPoints"], Is.EqualTo("1250"));
        Assert.That(action.parameters["storeId"], Is.EqualTo("store-7"));
        Assert.That(action.parameters["offer"], Is.EqualTo("STORE10"));
        Assert.That(action.reasonCodes, Does.Contain("STORE_VISIT").And.Contain("MARKETING_CONSENT_GRANTED"));
    }

    [Test]
    public async Task A_detractor_gets_a_call_center_callback_and_marketing_pauses_for_seven_days()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var lea = new Interactions(WorkerHarness.Unique("lea"), worker.Now);
        await worker.GrantMarketingAsync(lea);
        var survey = lea.SurveyAnswered(Channel.EMAIL, nps: 3);
        await worker.PublishAsync(survey);
        var (callback, topic) = worker.ActionsWithTopics(lea.CustomerId).Single();

        Assert.That(topic, Is.EqualTo(TopicCatalog.Actions(Channel.CALL_CENTER).Name));
        Assert.That(callback.actionType, Is.EqualTo(ActionType.CALLBACK_TASK));
        Assert.That(callback.reasonCodes[0], Is.EqualTo("NPS_DETRACTOR"));
        Assert.That(callback.parameters["nps"], Is.EqualTo("3"));

        await worker.PublishAsync(lea.After(TimeSpan.FromSeconds(1)).StoreVisited());
        var view = worker.ViewWhere(lea.CustomerId, v => v.GetProperty("timeline").GetArrayLength() == 5, "the store visit");
        var paused = DateTime.Parse(view.GetProperty("marketingPausedUntil").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.That(paused, Is.EqualTo(survey.occurredAt.AddDays(7)).Within(TimeSpan.FromMilliseconds(1)), "the wire keeps milliseconds");
        Assert.That(view.GetProperty("actions").GetArrayLength(), Is.EqualTo(1), "no app push while marketing is paused");
        var silent = view.GetProperty("nothingSent")[0];
        Assert.That(silent.GetProperty("moment").GetString(), Is.EqualTo("store_visit"));
        Assert.That(silent.GetProperty("reasons")[0].GetString(), Does.Contain("MARKETING_PAUSED"), "the view says why nothing went");
    }

    [Test]
    public async Task A_resolved_ticket_brings_an_effort_survey_on_the_channel_where_it_was_opened()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var max = new Interactions(WorkerHarness.Unique("max"), worker.Now);
        await worker.PublishAsync(max.TicketOpened(Channel.CHATBOT, "t-" + max.CustomerId));
        await worker.PublishAsync(max.After(TimeSpan.FromSeconds(1)).TicketResolved(Channel.CHATBOT, "t-" + max.CustomerId));

        var (survey, topic) = worker.ActionsWithTopics(max.CustomerId).Single();

        Assert.That(topic, Is.EqualTo(TopicCatalog.Actions(Channel.CHATBOT).Name));
        Assert.That(survey.actionType, Is.EqualTo(ActionType.SURVEY));
        Assert.That(survey.contentRef, Is.EqualTo("ces-survey/v1"));
        Assert.That(survey.parameters["ticketId"], Is.EqualTo("t-" + max.CustomerId));
        Assert.That(survey.reasonCodes, Does.Contain("TICKET_RESOLVED").And.Contain("TICKET_CHANNEL"));
    }

    [Test]
    public async Task Entering_the_at_risk_segment_brings_a_retention_offer_on_the_preferred_channel()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        // Not in the retention experiment's control group, so an offer goes whichever of the two wins.
        var experiment = PolicyFile.Parse(File.ReadAllText(ShippedPolicies.File), "policies.yaml").Actions["retention_discount"].Experiment!;
        var id = Enumerable.Range(0, 100).Select(_ => WorkerHarness.Unique("nina")).First(c => ExperimentAssigner.Variant(experiment, c) != ExperimentDefinition.Control);
        var nina = new Interactions(id, worker.Now.AddDays(-70));
        await worker.GrantMarketingAsync(nina);
        await worker.PublishAsync(nina.After(TimeSpan.FromMinutes(1)).StoreOrder("o1-" + id, 40m));
        await worker.PublishAsync(nina.After(TimeSpan.FromDays(5)).StoreOrder("o2-" + id, 30m));
        // The last order 61 days ago less 3 seconds: "more than 60 days" holds 3 seconds from now.
        await worker.PublishAsync(nina.After(worker.Now.AddDays(-61).AddSeconds(3) - nina.Now).StoreOrder("o3-" + id, 20m));
        await worker.AdvanceAsync(TimeSpan.FromSeconds(4), step: TimeSpan.FromSeconds(1));

        var (offer, topic) = worker.ActionsWithTopics(nina.CustomerId).Single();

        // Preferred: the channel of most interactions, the store (three orders there).
        Assert.That(topic, Is.EqualTo(TopicCatalog.Actions(Channel.EMAIL).Name), "the store cannot carry an offer: the fallback, email");
        Assert.That(offer.actionType, Is.EqualTo(ActionType.OFFER));
        Assert.That(offer.reasonCodes, Does.Contain("AT_RISK").And.Contain("BEST_SCORE").And.Contain("FALLBACK_CHANNEL"));
        Assert.That(offer.rulesFired, Has.Some.StartsWith("score retention_discount:").And.Some.StartsWith("score retention_free_delivery:"));
    }

    [Test]
    public async Task A_service_booked_online_brings_advice_notes_for_the_store_now_and_a_reminder_the_day_before()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var olga = new Interactions(WorkerHarness.Unique("olga"), worker.Now);
        var scheduled = worker.Now.AddDays(1).AddSeconds(4);
        await worker.PublishAsync(olga.ServiceBooked(Channel.WEB, "b-" + olga.CustomerId, scheduled, "store-3"));
        Assert.That(worker.ActionsFor(olga.CustomerId).Select(a => a.actionType), Is.EqualTo(new[] { ActionType.STAFF_NOTE }), "the note now, the reminder later");
        await worker.AdvanceAsync(TimeSpan.FromSeconds(5), step: TimeSpan.FromSeconds(1));

        var both = worker.ActionsWithTopics(olga.CustomerId);

        var note = both.Single(a => a.Action.actionType == ActionType.STAFF_NOTE);
        Assert.That(note.Topic, Is.EqualTo(TopicCatalog.Actions(Channel.STORE).Name));
        Assert.That(note.Action.parameters["bookingId"], Is.EqualTo("b-" + olga.CustomerId));
        Assert.That(note.Action.parameters["storeId"], Is.EqualTo("store-3"));
        var reminder = both.Single(a => a.Action.actionType == ActionType.SERVICE_REMINDER).Action;
        Assert.That(reminder.channel, Is.EqualTo(Channel.WEB));
        Assert.That(reminder.triggeredAt, Is.EqualTo(new DateTime(scheduled.Ticks - scheduled.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc).AddDays(-1)));
        Assert.That(reminder.expiresAt, Is.LessThanOrEqualTo(scheduled));
    }

    // A fixed-offset zone where it is now between 13:00 and 14:00.
    private static string AfternoonZone(DateTime now)
    {
        var offset = 13 - now.Hour;
        offset = offset > 14 ? offset - 24 : offset < -12 ? offset + 24 : offset;
        return offset == 0 ? "Etc/GMT" : offset > 0 ? $"Etc/GMT-{offset}" : $"Etc/GMT+{-offset}";
    }

    private static DateTime NextMorning(DateTime utc, string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        return TimeZoneInfo.ConvertTimeToUtc(TimeZoneInfo.ConvertTimeFromUtc(utc, zone).Date.AddDays(1).AddHours(9), zone);
    }
}
