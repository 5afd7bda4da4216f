using FsCheck;
using FsCheck.Fluent;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Tests.State;

/// <summary>
/// Folding any sequence of events, with duplicates and reordering inside the lateness bound,
/// gives the same state as folding the deduplicated sequence in event-time order.
/// </summary>
public class FoldOrderPropertyTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Lateness = TimeSpan.FromHours(6);

    // Short bounds so that windows, retention and eviction all happen within a generated sequence.
    private static readonly CustomerFold Fold = new(new FoldOptions
    {
        Lateness = Lateness, Retention = TimeSpan.FromDays(4), OrderWindow = TimeSpan.FromDays(2),
        TimelineLength = 8, ProductViews = 3, Actions = 5,
    });

    /// <summary>One generated event: what, where, when (minutes from T0), which of a few ids, its delay, whether it is delivered twice.</summary>
    private sealed record Spec(int Kind, int Channel, int Minute, int Pick, int DelayMinutes, bool Twice);

    private static readonly Gen<Spec> Specs =
        from kind in Gen.Choose(0, 11)
        from channel in Gen.Choose(0, 7)
        from minute in Gen.Choose(0, 8 * 24 * 60)
        from pick in Gen.Choose(0, 3)
        from delay in Gen.Choose(0, (int)Lateness.TotalMinutes - 1)
        from twice in Gen.Elements(false, false, false, true)
        select new Spec(kind, channel, minute, pick, delay, twice);

    [Test]
    public void Any_arrival_order_within_the_lateness_bound_gives_the_state_of_the_ordered_sequence()
    {
        Prop.ForAll(Specs.ArrayOf().ToArbitrary(), specs =>
        {
            var events = specs.Select((s, i) => Event(s, i)).ToList();
            var ordered = events.OrderBy(e => e.occurredAt).ThenBy(e => e.eventId);
            // Each event arrives up to its delay after it happened: a later event never overtakes one
            // by more than the lateness bound. Duplicates arrive again after everything else.
            var arrivals = events.Select((e, i) => (Event: e, ArrivesAt: e.occurredAt.AddMinutes(specs[i].DelayMinutes)))
                .OrderBy(a => a.ArrivesAt).Select(a => a.Event)
                .Concat(events.Where((_, i) => specs[i].Twice).Reverse());

            var expected = CustomerStateCodec.Encode(ordered.Aggregate(CustomerState.Empty("anna"), Apply));
            var actual = CustomerStateCodec.Encode(arrivals.Aggregate(CustomerState.Empty("anna"), Apply));

            return expected.AsSpan().SequenceEqual(actual);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    private static CustomerState Apply(CustomerState state, InteractionEvent e) => Fold.Apply(state, e).State;

    private static InteractionEvent Event(Spec spec, int index)
    {
        var channel = (Channel)spec.Channel;
        var id = $"x{spec.Pick}";
        object payload = spec.Kind switch
        {
            0 => new PageViewed { location = "/" + id },
            1 => new ProductViewed { productId = "p" + id },
            2 => new CartUpdated { cartId = "c" + id, lines = spec.Pick == 0 ? [] : [Line(spec.Pick)], total = Amount.Of(spec.Pick * 10m), currency = "EUR" },
            3 => new OrderPlaced { orderId = "o" + index, cartId = spec.Pick % 2 == 0 ? "c" + id : null, lines = [], total = Amount.Of(5m + spec.Pick), currency = "EUR" },
            4 => new SupportTicketOpened { ticketId = "t" + id, topic = "delivery" },
            5 => new SupportTicketResolved { ticketId = "t" + id },
            6 => new SurveyAnswered { surveyId = "s" + id, nps = spec.Pick * 3, ces = spec.Pick % 2 == 0 ? spec.Pick + 1 : null },
            7 => new ConsentChanged { purpose = (Purpose)(spec.Pick % 2), consentChannel = channel, granted = spec.Pick > 1 },
            8 => new ProfileUpdated { attributes = new Dictionary<string, string> { ["city"] = "c" + id, ["a" + spec.Pick % 2] = id } },
            9 => new Identified { anonymousId = "cookie-" + id, customerId = "anna", method = "login" },
            10 => new StoreVisited { storeId = "store-" + id },
            _ => new ChatMessageSent { conversationId = "chat-" + id, intent = "track_order" },
        };
        return new InteractionEvent
        {
            eventId = new Guid(index + 1, 0, 0, new byte[8]),
            occurredAt = T0.AddMinutes(spec.Minute),
            receivedAt = T0.AddMinutes(spec.Minute),
            channel = channel,
            subject = new Subject { customerId = "anna" },
            payload = payload,
        };
    }

    private static LineItem Line(int pick) => new() { productId = "p" + pick, quantity = pick, unitPrice = Amount.Of(10m) };
}
