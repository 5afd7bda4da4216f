using System.Text.Json;
using OmniStream.Adapters.Email;
using OmniStream.Adapters.Json;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Channels.Tests.Adapters;

public class SendGridAdapterTests
{
    private static readonly DateTime Received = new(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);
    private readonly SendGridAdapter _adapter = new(new SendGridMapping());

    [Test]
    public void An_open_and_a_click_are_the_customers_on_the_email_channel_at_their_time()
    {
        var open = _adapter.Read(Parse("""
            {"email": "anna@example.com", "timestamp": 1796032800, "event": "open", "sg_event_id": "e-1", "sg_message_id": "msg-1.filter", "customer_id": "anna", "campaign_id": "cart-reminder"}
            """), Received).Single();
        var click = _adapter.Read(Parse("""
            {"email": "anna@example.com", "timestamp": 1796032860, "event": "click", "url": "https://shop.example/cart", "sg_event_id": "e-2", "sg_message_id": "msg-1.filter",
             "customer_id": "anna", "category": ["cart", "reminders"]}
            """), Received).Single();

        var opened = (EmailOpened)open.payload;
        var clicked = (EmailClicked)click.payload;
        Assert.Multiple(() =>
        {
            Assert.That((open.channel, open.subject.customerId), Is.EqualTo((Channel.EMAIL, "anna")));
            Assert.That(open.occurredAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1796032800).UtcDateTime));
            Assert.That((opened.campaignId, opened.messageId), Is.EqualTo(("cart-reminder", "msg-1.filter")));
            Assert.That((clicked.campaignId, clicked.url), Is.EqualTo(("cart", "https://shop.example/cart")), "the first category when no campaign argument");
        });
    }

    [TestCase("unsubscribe", null, false)]
    [TestCase("group_unsubscribe", null, false)]
    [TestCase("spamreport", null, false)]
    [TestCase("bounce", "bounce", false)]
    [TestCase("group_resubscribe", null, true)]
    public void Unsubscribes_spam_reports_and_hard_bounces_withdraw_marketing_by_email_and_a_resubscribe_grants_it(string kind, string? type, bool granted)
    {
        var typed = type is null ? "" : $", \"type\": \"{type}\"";
        var consent = (ConsentChanged)_adapter.Read(Parse($$"""{"event": "{{kind}}"{{typed}}, "timestamp": 1796032800, "sg_event_id": "e", "customer_id": "anna"}"""), Received)
            .Single().payload;

        Assert.That((consent.purpose, consent.consentChannel, consent.granted), Is.EqualTo((Purpose.MARKETING, Channel.EMAIL, granted)));
    }

    [TestCase("processed")]
    [TestCase("delivered")]
    [TestCase("deferred")]
    [TestCase("dropped")]
    public void Delivery_events_and_blocked_bounces_make_no_event(string kind)
    {
        Assert.That(_adapter.Read(Parse($$"""{"event": "{{kind}}", "timestamp": 1796032800, "customer_id": "anna"}"""), Received), Is.Empty);
        Assert.That(_adapter.Read(Parse("""{"event": "bounce", "type": "blocked", "timestamp": 1796032800, "customer_id": "anna"}"""), Received), Is.Empty);
    }

    [Test]
    public void An_event_posted_again_makes_the_same_id_and_the_customer_argument_is_configurable()
    {
        const string Event = """{"event": "open", "timestamp": 1796032800, "sg_event_id": "e-7", "sg_message_id": "m", "user": "bob"}""";
        var adapter = new SendGridAdapter(new SendGridMapping { CustomerIdArg = "user" });

        var first = adapter.Read(Parse(Event), Received).Single();
        var again = adapter.Read(Parse(Event), Received.AddHours(1)).Single();

        Assert.That((first.subject.customerId, again.eventId), Is.EqualTo(("bob", first.eventId)));
        Assert.That(adapter.FirstEventId(Parse(Event)), Is.EqualTo(first.eventId));
    }

    [TestCase("""{"event": "open", "timestamp": 1796032800, "sg_message_id": "m"}""", "customer_id is required: send each email with the custom argument customer_id (OmniStream:Email:SendGrid:CustomerIdArg)")]
    [TestCase("""{"event": "click", "timestamp": 1796032800, "sg_message_id": "m", "customer_id": "a"}""", "url is required for a click")]
    [TestCase("""{"event": "open", "sg_message_id": "m", "customer_id": "a"}""", "timestamp is required: the event's time in seconds since 1970")]
    [TestCase("""{"event": "teleported", "timestamp": 1796032800, "customer_id": "a"}""", "event 'teleported' is not an event of SendGrid's Event Webhook")]
    public void An_event_that_makes_no_valid_event_is_refused_naming_the_field(string json, string error)
    {
        Assert.That(() => _adapter.Read(Parse(json), Received), Throws.TypeOf<InteractionJsonException>().With.Message.EqualTo(error));
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
