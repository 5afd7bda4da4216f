using OmniStream.Decisions.Engine;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Tests.Engine;

public class ContactRuleTests
{
    [Test]
    public void Marketing_waits_out_the_minimum_gap_and_stops_at_the_daily_cap()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        Assert.That(anna.Happens(anna.Events.After(TimeSpan.FromHours(1)).StoreVisited()).Single().Kind, Is.EqualTo(DecisionKind.Sent));
        var cart = anna.Events.After(TimeSpan.FromMinutes(10)).CartUpdated(Channel.WEB, ("sku-1", 1, 10m));
        anna.Happens(cart);

        var tooSoon = anna.TimePasses(cart.occurredAt + TimeSpan.FromMinutes(30)).Single();
        Assert.That(tooSoon.Refusals.Single(), Does.Contain("MIN_GAP").And.Contain("gap 2h"));

        var capped = anna.Happens(anna.Events.After(TimeSpan.FromHours(3)).StoreVisited()).Single();
        Assert.That(capped.Refusals.Single(), Does.Contain("CAP_DAY").And.Contain("cap MOBILE_APP"));

        Assert.That(anna.Happens(anna.Events.After(TimeSpan.FromHours(22)).StoreVisited()).Single().Kind, Is.EqualTo(DecisionKind.Sent));
    }

    [Test]
    public void An_open_ticket_pauses_marketing_but_not_service()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        anna.Happens(anna.Events.TicketOpened(Channel.WEB, "t-1"));

        Assert.That(anna.Happens(anna.Events.After(TimeSpan.FromHours(1)).StoreVisited()).Single().Refusals.Single(), Does.Contain("OPEN_TICKET"));
        Assert.That(anna.Happens(anna.Events.ServiceBooked(Channel.WEB, "b-1", anna.Events.Now.AddDays(3))).Single().Kind, Is.EqualTo(DecisionKind.Sent));
    }

    [Test]
    public void Quiet_hours_in_the_customers_time_zone_defer_the_action_to_their_end_and_it_then_goes()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        anna.Happens(anna.Events.ProfileUpdated(Channel.WEB, "time_zone", "Asia/Tokyo"));
        var visit = anna.Events.After(TimeSpan.FromHours(14)).StoreVisited(); // 2026-11-22 23:00 UTC = 08:00 Tokyo: not quiet
        Assert.That(anna.Happens(visit).Single().Kind, Is.EqualTo(DecisionKind.Sent));

        anna.Happens(anna.Events.After(TimeSpan.FromHours(12)).TicketOpened(Channel.EMAIL, "t-1")); // 11:00 UTC = 20:00 Tokyo
        var lateEvening = anna.Events.After(TimeSpan.FromHours(2)).TicketResolved(Channel.EMAIL, "t-1"); // 13:00 UTC = 22:00 Tokyo
        var deferred = anna.Happens(lateEvening).Single();

        var eightTokyo = new DateTime(2026, 11, 23, 23, 0, 0, DateTimeKind.Utc);
        Assert.That(deferred.Kind, Is.EqualTo(DecisionKind.Deferred));
        Assert.That(deferred.DeferredUntil, Is.EqualTo(eightTokyo));
        Assert.That(anna.TimePasses(eightTokyo - TimeSpan.FromMinutes(1)), Is.Empty);
        var sent = anna.TimePasses(eightTokyo).Single().Action!;
        Assert.That(sent.actionType, Is.EqualTo(ActionType.SURVEY));
        Assert.That(sent.reasonCodes, Does.Contain("AFTER_QUIET_HOURS"));
        Assert.That(sent.rulesFired, Has.Some.Contains("quiet hours 21:00-08:00 in Asia/Tokyo"));
    }

    [Test]
    public void Staff_notes_are_not_held_by_quiet_hours()
    {
        var anna = new DecidedCustomer("anna");
        anna.Happens(anna.Events.ProfileUpdated(Channel.WEB, "time_zone", "Asia/Tokyo"));
        var booking = anna.Events.After(TimeSpan.FromHours(4)).ServiceBooked(Channel.WEB, "b-1", anna.Events.Now.AddDays(5)); // 22:00 Tokyo

        Assert.That(anna.Happens(booking).Single().Kind, Is.EqualTo(DecisionKind.Sent));
    }

    [Test]
    public void An_offer_that_converted_is_not_offered_again_within_the_window()
    {
        var anna = new DecidedCustomer("anna").ConsentingEverywhere();
        anna.Happens(anna.Events.After(TimeSpan.FromHours(1)).StoreVisited());
        anna.Happens(anna.Events.After(TimeSpan.FromHours(1)).OrderPlaced(Channel.STORE, 30m));

        var again = anna.Happens(anna.Events.After(TimeSpan.FromDays(2)).StoreVisited()).Single();

        Assert.That(again.Refusals.Single(), Does.Contain("converted"));
    }

    [Test]
    public void Quiet_hours_end_on_the_next_local_morning_across_midnight()
    {
        var quiet = new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0));
        var paris = LocalTime.Find("Europe/Paris")!;

        Assert.That(quiet.EndAfter(new DateTime(2026, 11, 22, 21, 30, 0, DateTimeKind.Utc), paris), Is.EqualTo(new DateTime(2026, 11, 23, 7, 0, 0, DateTimeKind.Utc)));
        Assert.That(quiet.EndAfter(new DateTime(2026, 11, 23, 5, 0, 0, DateTimeKind.Utc), paris), Is.EqualTo(new DateTime(2026, 11, 23, 7, 0, 0, DateTimeKind.Utc)));
        Assert.That(quiet.EndAfter(new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc), paris), Is.Null);
    }
}
