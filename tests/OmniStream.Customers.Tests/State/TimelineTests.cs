using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.State;

public sealed class TimelineTests
{
    private static IEnumerable<TestCaseData> EveryKind()
    {
        var events = new Interactions("customer-ü-1");
        var withEmoji = "chaussure-été-😀";
        yield return Case(events.PageViewed(Channel.WEB, "/home"));
        yield return Case(events.ProductViewed(Channel.MOBILE_APP, withEmoji));
        yield return Case(events.CartUpdated(Channel.WEB, ("sku-1", 2, 19.90m), ("sku-2", 1, 5m)));
        yield return Case(events.CartUpdated(Channel.WEB));
        yield return Case(events.On(Channel.WEB, new CheckoutStarted { cartId = "cart-1" }));
        yield return Case(events.OrderPlaced(Channel.WEB, 119.5m));
        yield return Case(events.StoreOrder("order-2", 42m, "store-9"));
        yield return Case(events.StoreVisited("store-9"));
        yield return Case(events.AppOpened());
        yield return Case(events.On(Channel.EMAIL, new EmailOpened { campaignId = "winter", messageId = "m-1" }));
        yield return Case(events.On(Channel.EMAIL, new EmailClicked { campaignId = "winter", messageId = "m-1", url = "https://shop.example/" + new string('x', 600) }));
        yield return Case(events.TicketOpened(Channel.CALL_CENTER, "t-1"));
        yield return Case(events.TicketResolved(Channel.CALL_CENTER, "t-1"));
        yield return Case(events.On(Channel.CHATBOT, new ChatMessageSent { conversationId = "c-1", intent = withEmoji, confidence = 0.9 }));
        yield return Case(events.SurveyAnswered(Channel.EMAIL, 9, 2));
        yield return Case(events.SurveyAnswered(Channel.EMAIL, null, 3));
        yield return Case(events.SurveyAnswered(Channel.EMAIL, 4));
        yield return Case(events.ConsentChanged(Channel.WEB, Purpose.MARKETING, Channel.EMAIL, granted: false));
        yield return Case(events.Identified(Channel.WEB, "anon-1"));
        yield return Case(events.ProfileUpdated(Channel.WEB, "city", "Zürich"));
        yield return Case(events.ServiceBooked(Channel.STORE, "b-1", new DateTime(2026, 12, 24, 10, 30, 0, DateTimeKind.Utc)));
        yield return Case(events.On(Channel.IOT, new DeviceTelemetry { deviceId = "d-1", metrics = new Dictionary<string, double> { ["t"] = 1 } }));
        yield return Case(events.On(Channel.WEB, new Tracked { name = "Video Played", properties = new Dictionary<string, string>() }));

        static TestCaseData Case(InteractionEvent e) => new TestCaseData(e).SetArgDisplayNames(e.payload.GetType().Name);
    }

    [TestCaseSource(nameof(EveryKind))]
    public void A_line_written_from_its_event_is_the_stored_line_of_its_record(InteractionEvent e)
    {
        var record = Timeline.Record(e);

        var encoded = Timeline.Encode(e);

        Assert.That(encoded, Is.EqualTo(CustomerLayout.EncodeLine(record)), record.Summary);
        Assert.That(CustomerLayout.DecodePart(CustomerPart.Line(e.eventId), encoded), Is.EqualTo(record));
    }

    [Test]
    public void A_fold_holds_its_new_line_in_its_stored_form_and_shows_it_whole()
    {
        var events = new Interactions("customer-1");
        var state = new CustomerState("customer-1");
        var viewed = events.ProductViewed(Channel.WEB, "sku-1");

        new CustomerFold(new FoldOptions()).Apply(state, viewed);

        var written = new List<(Guid, byte[])>();
        state.Timeline.ForEachUnwritten(written, static (into, eventId, value) => into.Add((eventId, value)));
        Assert.That(written, Has.Count.EqualTo(1));
        Assert.That(written[0].Item2, Is.EqualTo(Timeline.Encode(viewed)));
        Assert.That(state.Timeline.Unwritten.Single(), Is.EqualTo(Timeline.Record(viewed)));
    }
}
