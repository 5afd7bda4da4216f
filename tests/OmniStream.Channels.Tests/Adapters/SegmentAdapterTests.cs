using System.Text.Json;
using OmniStream.Adapters.Segment;
using OmniStream.Adapters.Json;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Channels.Tests.Adapters;

public class SegmentAdapterTests
{
    private static readonly DateTime Received = new(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);
    private readonly SegmentAdapter _web = new(new SegmentMapping(), "shop", Channel.WEB);

    [Test]
    public void An_anonymous_product_added_is_the_visitors_cart_on_the_sources_channel()
    {
        var e = _web.Read(Parse("""
            { "type": "track", "event": "Product Added", "anonymousId": "cookie-1", "messageId": "m-1", "timestamp": "2026-11-30T09:59:58Z",
              "properties": { "cart_id": "c-7", "product_id": "sku-1", "quantity": 2, "price": "19.99" } }
            """), Received).Single();

        var cart = (CartUpdated)e.payload;
        Assert.Multiple(() =>
        {
            Assert.That(e.channel, Is.EqualTo(Channel.WEB));
            Assert.That(e.subject.anonymousId, Is.EqualTo("cookie-1"));
            Assert.That(e.subject.customerId, Is.Null);
            Assert.That(e.occurredAt, Is.EqualTo(Received.AddSeconds(-2)));
            Assert.That(cart.cartId, Is.EqualTo("c-7"));
            Assert.That(cart.lines.Single().productId, Is.EqualTo("sku-1"));
            Assert.That(cart.lines.Single().quantity, Is.EqualTo(2));
            Assert.That(cart.lines.Single().unitPrice, Is.EqualTo(Amount.Of(19.99m)));
            Assert.That(cart.total, Is.EqualTo(Amount.Of(39.98m)), "price times quantity when the event gives no value");
            Assert.That(cart.currency, Is.EqualTo("EUR"), "the mapping's default currency");
        });
    }

    [Test]
    public void A_cart_viewed_carries_the_whole_cart_and_a_cart_without_id_is_the_visitors()
    {
        var e = _web.Read(Parse("""
            { "type": "track", "event": "Cart Viewed", "userId": "anna", "currency": "usd",
              "properties": { "currency": "usd", "value": 50, "products": [ { "sku": "a", "price": 10, "quantity": 2 }, { "product_id": 42, "price": 30.004 } ] } }
            """), Received).Single();

        var cart = (CartUpdated)e.payload;
        Assert.Multiple(() =>
        {
            Assert.That(cart.cartId, Is.EqualTo("segment:anna"));
            Assert.That(cart.lines.Select(l => (l.productId, l.quantity)), Is.EqualTo(new[] { ("a", 2), ("42", 1) }));
            Assert.That(cart.lines[1].unitPrice, Is.EqualTo(Amount.Of(30.00m)), "rounded to cents");
            Assert.That(cart.total, Is.EqualTo(Amount.Of(50m)), "the event's value");
            Assert.That(cart.currency, Is.EqualTo("USD"));
            Assert.That(e.occurredAt, Is.EqualTo(Received), "no timestamp: the receipt time");
        });
    }

    [Test]
    public void An_identify_with_an_anonymous_id_ties_the_visitor_and_its_traits_update_the_profile()
    {
        var events = _web.Read(Parse("""
            { "type": "identify", "userId": "anna", "anonymousId": "cookie-1", "messageId": "m-2",
              "traits": { "email": "anna@example.com", "plan": "gold", "age": 41, "vip": true, "address": { "city": "Lyon" }, "tags": ["x"] } }
            """), Received);

        Assert.That(events, Has.Count.EqualTo(2));
        var identified = (Identified)events[0].payload;
        var profile = (ProfileUpdated)events[1].payload;
        Assert.Multiple(() =>
        {
            Assert.That((identified.anonymousId, identified.customerId, identified.method), Is.EqualTo(("cookie-1", "anna", "segment identify")));
            Assert.That((events[0].subject.customerId, events[0].subject.anonymousId), Is.EqualTo(("anna", "cookie-1")));
            Assert.That(events[1].subject.customerId, Is.EqualTo("anna"));
            Assert.That(profile.attributes, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["email"] = "anna@example.com", ["plan"] = "gold", ["age"] = "41", ["vip"] = "true", ["address.city"] = "Lyon",
            }));
            Assert.That(events[0].eventId, Is.Not.EqualTo(events[1].eventId));
        });
    }

    [Test]
    public void An_alias_ties_the_previous_id_to_the_user()
    {
        var identified = (Identified)_web.InRequest("alias", null).Read(Parse("""{ "previousId": "cookie-9", "userId": "bob" }"""), Received).Single().payload;

        Assert.That((identified.anonymousId, identified.customerId, identified.method), Is.EqualTo(("cookie-9", "bob", "segment alias")));
    }

    [Test]
    public void A_page_is_a_page_view_of_its_path_and_a_screen_of_its_name()
    {
        var page = (PageViewed)_web.Read(Parse("""
            { "type": "page", "anonymousId": "cookie-1", "properties": { "url": "https://shop.example/shoes?size=40", "referrer": "https://search.example/" } }
            """), Received).Single().payload;
        var screen = (PageViewed)new SegmentAdapter(new SegmentMapping(), "app", Channel.MOBILE_APP)
            .Read(Parse("""{ "type": "screen", "userId": "anna", "name": "Basket" }"""), Received).Single().payload;

        Assert.Multiple(() =>
        {
            Assert.That((page.location, page.referrer), Is.EqualTo(("/shoes", "https://search.example/")));
            Assert.That(screen.location, Is.EqualTo("Basket"));
        });
    }

    [Test]
    public void An_order_completed_is_an_order_placed_with_its_total()
    {
        var order = (OrderPlaced)_web.Read(Parse("""
            { "type": "track", "event": "Order Completed", "userId": "anna",
              "properties": { "order_id": "o-1", "cart_id": "c-7", "total": 27.5, "revenue": 25, "currency": "EUR", "products": [ { "product_id": "a", "price": 25 } ] } }
            """), Received).Single().payload;

        Assert.That((order.orderId, order.cartId, order.total, order.lines.Count), Is.EqualTo(("o-1", "c-7", Amount.Of(27.5m), 1)));
    }

    [Test]
    public void Other_payloads_take_their_fields_from_properties_in_snake_case()
    {
        var survey = (SurveyAnswered)_web.Read(Parse("""
            { "type": "track", "event": "Survey Answered", "userId": "anna", "properties": { "survey_id": "nps-q4", "nps": 9, "comment": "fine", "extra": 1 } }
            """), Received).Single().payload;
        var click = (EmailClicked)_web.Read(Parse("""
            { "type": "track", "event": "Email Link Clicked", "userId": "anna", "properties": { "campaign_id": "cmp", "email_id": "e-1", "link_url": "https://x.example/" } }
            """), Received).Single().payload;

        Assert.Multiple(() =>
        {
            Assert.That((survey.surveyId, survey.nps, survey.comment), Is.EqualTo(("nps-q4", (int?)9, "fine")));
            Assert.That((click.campaignId, click.messageId, click.url), Is.EqualTo(("cmp", "e-1", "https://x.example/")));
        });
    }

    [Test]
    public void The_same_message_makes_the_same_event_ids_and_another_source_others()
    {
        const string Message = """{ "type": "page", "anonymousId": "cookie-1", "messageId": "ajs-next-123" }""";
        var first = _web.Read(Parse(Message), Received).Single().eventId;
        var again = _web.Read(Parse(Message), Received.AddMinutes(1)).Single().eventId;
        var elsewhere = new SegmentAdapter(new SegmentMapping(), "other", Channel.WEB).Read(Parse(Message), Received).Single().eventId;

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first), "a retried message is a copy the worker drops");
            Assert.That(elsewhere, Is.Not.EqualTo(first));
            Assert.That(_web.FirstEventId(Parse(Message)), Is.EqualTo(first));
        });
    }

    [Test]
    public void A_senders_clock_is_corrected_by_its_sent_at_and_never_past_the_receipt()
    {
        // The sender's clock is an hour behind: it stamped 08:59:50 and sent at 09:00:00, received at 10:00:00.
        var late = _web.InRequest(null, Received.AddHours(-1)).Read(Parse("""{ "type": "page", "userId": "a", "timestamp": "2026-11-30T08:59:50Z" }"""), Received).Single();
        var ahead = _web.Read(Parse("""{ "type": "page", "userId": "a", "timestamp": "2026-11-30T11:00:00Z", "sentAt": "2026-11-30T11:00:01Z" }"""), Received).Single();

        Assert.That(late.occurredAt, Is.EqualTo(Received.AddSeconds(-10)));
        Assert.That(ahead.occurredAt, Is.EqualTo(Received.AddSeconds(-1)));
    }

    [Test]
    public void An_unmapped_track_is_a_generic_interaction_with_its_properties_by_default_or_set_aside()
    {
        const string Played = """{ "type": "track", "event": "Video Played", "userId": "a", "properties": { "video": { "id": "v-9", "seconds": 31 }, "autoplay": false, "tags": ["x"] } }""";
        var setAside = new SegmentAdapter(new SegmentMapping { Unmapped = SegmentMapping.UnmappedTracks.SetAside }, "shop", Channel.WEB);

        var tracked = (Tracked)_web.Read(Parse(Played), Received).Single().payload;

        Assert.That(tracked.name, Is.EqualTo("Video Played"));
        Assert.That(tracked.properties, Is.EquivalentTo(new Dictionary<string, string> { ["video.id"] = "v-9", ["video.seconds"] = "31", ["autoplay"] = "false" }));
        Assert.That(() => setAside.Read(Parse(Played), Received),
            Throws.TypeOf<InteractionJsonException>().With.Message.EqualTo("event 'Video Played' has no mapping (OmniStream:Segment:Track)"));
    }

    [Test]
    public void Groups_and_unmapped_tracks_when_dropped_make_no_event()
    {
        var dropping = new SegmentMapping { Unmapped = SegmentMapping.UnmappedTracks.Drop };
        var adapter = new SegmentAdapter(dropping, "shop", Channel.WEB);

        Assert.Multiple(() =>
        {
            Assert.That(adapter.Read(Parse("""{ "type": "group", "userId": "a", "groupId": "g" }"""), Received), Is.Empty);
            Assert.That(adapter.Read(Parse("""{ "type": "track", "event": "Video Played", "userId": "a" }"""), Received), Is.Empty);
        });
    }

    [TestCase("""{ "type": "track", "event": "Product Added", "userId": "a", "properties": { "product_id": "p" } }""", "properties.price is required")]
    [TestCase("""{ "type": "track", "event": "Product Added", "userId": "a", "properties": { "product_id": "p", "price": 1, "quantity": 0.5 } }""", "properties.quantity must be a whole number of at least 1")]
    [TestCase("""{ "type": "track", "event": "Order Completed", "userId": "a", "properties": { "total": 3 } }""", "properties.order_id is required for an order")]
    [TestCase("""{ "type": "track", "event": "Survey Answered", "userId": "a", "properties": { "survey_id": "s", "nps": "nine" } }""", "payload.nps must be an integer, not a string")]
    [TestCase("""{ "type": "page", "properties": {} }""", "userId or anonymousId is required")]
    [TestCase("""{ "type": "shout", "userId": "a" }""", "type 'shout' is not a call of the tracking API (identify, alias, page, screen, track or group)")]
    [TestCase("""{ "type": "page", "userId": "a", "timestamp": "yesterday" }""", "timestamp 'yesterday' is not an ISO 8601 time")]
    [TestCase("""[1]""", "the message must be an object")]
    public void A_message_that_makes_no_valid_event_is_refused_naming_the_field(string message, string error)
    {
        var refused = Assert.Catch(() => _web.Read(Parse(message), Received));

        Assert.That(refused, Is.TypeOf<InteractionJsonException>());
        Assert.That(refused!.Message, Is.EqualTo(error));
    }

    [Test]
    public void A_mapping_to_a_payload_the_contract_lacks_or_to_an_erasure_is_named()
    {
        var mapping = new SegmentMapping();
        mapping.Track["Video Played"] = "VideoPlayed";
        var erasing = new SegmentMapping();
        erasing.Track["Forget Me"] = "ErasureRequested";

        Assert.That(mapping.Problem("OmniStream:Segment"), Does.StartWith("OmniStream:Segment:Track:Video Played maps to 'VideoPlayed', which is not a payload a source may send"));
        Assert.That(erasing.Problem("OmniStream:Segment"), Does.StartWith("OmniStream:Segment:Track:Forget Me maps to 'ErasureRequested', which is not a payload a source may send"));
        Assert.That(new SegmentMapping().Problem("OmniStream:Segment"), Is.Null);
    }

    [Test]
    public void A_source_sends_no_consent_change_unless_its_payloads_name_it()
    {
        var mapping = new SegmentMapping();
        mapping.Track["Consent Changed"] = "ConsentChanged";
        const string Message = """{"type": "track", "event": "Consent Changed", "userId": "anna", "messageId": "m-1", "properties": {"purpose": "MARKETING", "consent_channel": "EMAIL", "granted": true}}""";

        var refused = Assert.Throws<InteractionJsonException>(() => new SegmentAdapter(mapping, "shop", Channel.WEB).Read(Parse(Message), Received));
        var allowed = new SegmentAdapter(mapping, "crm", Channel.WEB, ["ConsentChanged"]).Read(Parse(Message), Received).Single();

        Assert.That(refused!.Message, Does.Contain("ConsentChanged, which source 'shop' may not send"));
        Assert.That(allowed.payload, Is.InstanceOf<ConsentChanged>());
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
