using FsCheck;
using FsCheck.Fluent;
using OmniStream.Customers.State;
using OmniStream.Customers.State.Legacy;
using OmniStream.Customers.Tests.State.Reference;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Tests.State;

/// <summary>
/// Properties of the fold on random event sequences: any arrival order within the lateness bound,
/// with duplicates, gives the state of the ordered sequence; and the working state's fold, merge and
/// pruning mean what the immutable fold they replaced meant (<see cref="ReferenceFold"/>), late
/// events, actions and their conversions included.
/// </summary>
public class FoldOrderPropertyTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Lateness = TimeSpan.FromHours(6);

    // Short bounds so that windows, retention and eviction all happen within a generated sequence.
    private static readonly FoldOptions Options = new()
    {
        Lateness = Lateness, Retention = TimeSpan.FromDays(4), OrderWindow = TimeSpan.FromDays(2),
        TimelineLength = 8, ProductViews = 3, Actions = 5, AttributionWindow = TimeSpan.FromDays(1),
    };

    private static readonly CustomerFold Fold = new(Options);
    private static readonly CustomerMerge Merge = new(Fold);
    private static readonly ReferenceFold Reference = new(Options);

    /// <summary>One generated event: what, where, when (minutes from T0), which of a few ids, its delay, whether it is delivered twice.</summary>
    private sealed record Spec(int Kind, int Channel, int Minute, int Pick, int DelayMinutes, bool Twice);

    // Kind 12, an order reported again under the same id, is left out where arrival order is varied: a report
    // that comes after the first left the order window counts again, as it always did (the reference agrees).
    private static readonly Gen<Spec> Specs = SpecsOf(maxKind: 11);
    private static readonly Gen<Spec> AllSpecs = SpecsOf(maxKind: 12);

    private static Gen<Spec> SpecsOf(int maxKind) =>
        from kind in Gen.Choose(0, maxKind)
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
            var events = specs.Select((s, i) => Event(s, i, "anna")).ToList();
            var ordered = events.OrderBy(e => e.occurredAt).ThenBy(e => e.eventId);
            // Each event arrives up to its delay after it happened: a later event never overtakes one
            // by more than the lateness bound. Duplicates arrive again after everything else.
            var arrivals = events.Select((e, i) => (Event: e, ArrivesAt: e.occurredAt.AddMinutes(specs[i].DelayMinutes)))
                .OrderBy(a => a.ArrivesAt).Select(a => a.Event)
                .Concat(events.Where((_, i) => specs[i].Twice).Reverse());

            var expected = Canonical.Of(Fold.ApplyAll(new CustomerState("anna"), ordered), Options);
            var actual = Canonical.Of(Fold.ApplyAll(new CustomerState("anna"), arrivals), Options);

            return (expected == actual).Label($"ordered:\n{expected}\narrived:\n{actual}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Test]
    public void The_working_state_folds_any_sequence_as_the_immutable_fold_did_late_events_duplicates_and_actions_included()
    {
        Prop.ForAll(AllSpecs.ArrayOf().ToArbitrary(), Gen.Choose(0, 3 * 24 * 60).ToArbitrary(), (specs, shuffle) =>
        {
            // Arrival order: by time, with every event moved by up to `shuffle` minutes: some arrive later than the bound allows.
            var arrivals = specs.Select((s, i) => Event(s, i, "anna"))
                .Select((e, i) => (Event: e, ArrivesAt: e.occurredAt.AddMinutes((specs[i].DelayMinutes * 7919 + i * 104729) % (shuffle + 1))))
                .OrderBy(a => a.ArrivesAt).Select(a => a.Event)
                .Concat(specs.Select((s, i) => (s, i)).Where(x => x.s.Twice).Select(x => Event(x.s, x.i, "anna")))
                .ToList();
            var working = new CustomerState("anna");
            var reference = LegacyCustomerState.Empty("anna");
            foreach (var (e, index) in arrivals.Select((e, i) => (e, i)))
            {
                var verdict = Fold.Apply(working, e).Verdict;
                (reference, var expected) = Reference.Apply(reference, e);
                if (verdict != expected)
                {
                    return false.Label($"event {index}: {verdict}, the reference says {expected}");
                }
                if (index % 5 == 4)
                {
                    var action = Marketing(e, index);
                    Fold.WithAction(working, action);
                    reference = Reference.WithAction(reference, action);
                }
            }
            var (actual, wanted) = (Canonical.Of(working, Options), Canonical.Of(reference, Options));
            return (actual == wanted).Label($"working state:\n{actual}\nreference:\n{wanted}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Test]
    public void A_merge_of_what_an_id_gathered_gives_the_state_the_immutable_merge_gave()
    {
        Prop.ForAll(AllSpecs.ArrayOf().ToArbitrary(), AllSpecs.ArrayOf().ToArbitrary(), (mine, theirs) =>
        {
            var customerEvents = mine.Select((s, i) => Event(s, i, "anna")).OrderBy(e => e.occurredAt).ToList();
            var gatheredEvents = theirs.Select((s, i) => Event(s, 10_000 + i, "cookie-1")).OrderBy(e => e.occurredAt).ToList();
            var customer = Fold.ApplyAll(new CustomerState("anna"), customerEvents);
            var gathered = Fold.ApplyAll(new CustomerState("cookie-1"), gatheredEvents);
            var referenceCustomer = customerEvents.Aggregate(LegacyCustomerState.Empty("anna"), (s, e) => Reference.Apply(s, e).State);
            var referenceGathered = gatheredEvents.Aggregate(LegacyCustomerState.Empty("cookie-1"), (s, e) => Reference.Apply(s, e).State);

            Merge.Merge(customer, CustomerLayout.DecodeHandOver(CustomerLayout.EncodeHandOver(gathered)));
            var merged = Reference.Merge(referenceCustomer, referenceGathered);

            var (actual, wanted) = (Canonical.Of(customer, Options), Canonical.Of(merged, Options));
            return (actual == wanted).Label($"working state:\n{actual}\nreference:\n{wanted}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    private static ActionRecord Marketing(InteractionEvent after, int index) =>
        new(new Guid(index + 1, 1, 1, new byte[8]), ActionType.OFFER, Channel.EMAIL, after.occurredAt, "offer", null, null,
            Action: "offer", Purpose: index % 2 == 0 ? Purpose.MARKETING : Purpose.SERVICE, Arm: "offer/other");

    private static InteractionEvent Event(Spec spec, int index, string customer)
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
            9 => new Identified { anonymousId = "cookie-" + id, customerId = customer, method = "login" },
            10 => new StoreVisited { storeId = "store-" + id },
            11 => new ChatMessageSent { conversationId = "chat-" + id, intent = "track_order" },
            _ => new OrderPlaced { orderId = "o" + spec.Pick, lines = [], total = Amount.Of(7m), currency = "EUR" },
        };
        return new InteractionEvent
        {
            eventId = new Guid(index + 1, 0, 0, new byte[8]),
            occurredAt = T0.AddMinutes(spec.Minute),
            receivedAt = T0.AddMinutes(spec.Minute),
            channel = channel,
            subject = new Subject { customerId = customer },
            payload = payload,
        };
    }

    private static LineItem Line(int pick) => new() { productId = "p" + pick, quantity = pick, unitPrice = Amount.Of(10m) };
}
