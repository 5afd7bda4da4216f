using System.Text;
using OmniStream.Customers.State;
using OmniStream.Customers.State.Legacy;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.State;

/// <summary>
/// A customer stored as a core and parts: the working state knows what an event changed (the core,
/// the line it added, the lines and actions it dropped or changed), and the parts read back into the same state.
/// </summary>
public class CustomerLayoutTests
{
    private static readonly CustomerFold Fold = new(new FoldOptions { TimelineLength = 5, Lateness = TimeSpan.FromHours(1) });

    [Test]
    public void An_event_adds_the_timeline_line_it_made_and_nothing_else_to_write()
    {
        var anna = new Interactions("anna");
        var state = Fold.ApplyAll(new CustomerState("anna"), [anna.PageViewed(Channel.WEB), anna.After(TimeSpan.FromMinutes(1)).ProductViewed(Channel.WEB, "sku-1")]);
        Written(state);
        var viewed = anna.After(TimeSpan.FromMinutes(1)).ProductViewed(Channel.MOBILE_APP, "sku-2");

        Fold.Apply(state, viewed);

        Assert.That(state.Timeline.Unwritten.Select(l => l.EventId), Is.EqualTo(new[] { viewed.eventId }));
        Assert.That(state.Timeline.Removed, Is.Empty);
        Assert.That(state.Actions.Changed, Is.Empty);
        Assert.That(state.Actions.Removed, Is.Empty);
    }

    [Test]
    public void A_line_pushed_out_of_the_timeline_and_past_the_lateness_bound_is_deleted_and_one_within_the_bound_kept()
    {
        var anna = new Interactions("anna");
        var events = Enumerable.Range(0, 5).Select(i => anna.After(TimeSpan.FromHours(1)).PageViewed(Channel.WEB, $"/page-{i}")).ToList();
        var state = Fold.ApplyAll(new CustomerState("anna"), events);
        Written(state);
        var next = anna.After(TimeSpan.FromHours(1)).AppOpened();
        var within = anna.After(TimeSpan.FromMinutes(1)).AppOpened();

        Fold.Apply(state, next);
        Fold.Apply(state, within);

        Assert.That(state.Timeline.Removed, Is.EqualTo(new[] { events[0].eventId, events[1].eventId }));
        Assert.That(state.Timeline.Entries.Select(e => e.EventId), Is.EqualTo(new[] { within.eventId, next.eventId, events[4].eventId, events[3].eventId, events[2].eventId }));
    }

    [Test]
    public void An_outcome_changes_only_its_action()
    {
        var state = CustomerStateCodecTests.RichState();
        Written(state);
        var action = state.Actions.Single();

        var (matched, changed, converted) = CustomerFold.WithOutcome(state, new ActionOutcome
        {
            actionId = action.ActionId, customerId = "anna", outcome = Outcome.CONVERTED, occurredAt = action.DecidedAt.AddHours(1),
        });

        Assert.That((matched, changed, converted?.ActionId), Is.EqualTo((true, true, (Guid?)action.ActionId)));
        Assert.That(state.Actions.Changed.Select(a => a.ActionId), Is.EqualTo(new[] { action.ActionId }));
        Assert.That(state.Timeline.Unwritten, Is.Empty);
    }

    [Test]
    public void A_state_reads_back_from_its_core_and_parts()
    {
        var state = CustomerStateCodecTests.RichState();

        var parts = state.Timeline.Unwritten.Select(l => (CustomerPart.Line(l.EventId), CustomerLayout.EncodeLine(l)))
            .Concat(state.Actions.Select(a => (CustomerPart.Action(a.ActionId), CustomerLayout.EncodeAction(a))))
            .ToList();
        var read = CustomerLayout.Join(CustomerStateCodec.Encode(state), parts);

        Assert.That(parts, Has.Count.EqualTo(state.Timeline.Count + state.Actions.Count));
        Assert.That(Json(read), Is.EqualTo(Json(state)));
    }

    [Test]
    public void A_hand_over_carries_the_whole_state_and_its_lines_and_actions_are_new_where_it_lands()
    {
        var state = CustomerStateCodecTests.RichState();

        var landed = CustomerLayout.DecodeHandOver(CustomerLayout.EncodeHandOver(state));

        Assert.That(Json(landed), Is.EqualTo(Json(state)));
        Assert.That(landed.Timeline.Unwritten.Count(), Is.EqualTo(state.Timeline.Count));
        Assert.That(landed.Actions.Changed.Count(), Is.EqualTo(state.Actions.Count));
    }

    [Test]
    public void A_hand_over_written_before_the_working_state_a_whole_state_is_read_too()
    {
        var state = CustomerStateCodecTests.RichState();
        var whole = LegacyFormats.ToBinary(LegacyFormats.FromWorkingState(state));

        var landed = CustomerLayout.DecodeHandOver(whole);

        Assert.That(landed.Timeline.Count, Is.EqualTo(state.Timeline.Count));
        Assert.That(landed.Actions.Single().ActionId, Is.EqualTo(state.Actions.Single().ActionId));
    }

    [Test]
    public void A_part_that_holds_no_record_of_its_kind_and_id_is_refused_with_a_reason()
    {
        var line = CustomerStateCodecTests.RichState().Timeline.Lines.First();
        var value = CustomerLayout.EncodeLine(line);

        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidDataException>(() => CustomerLayout.DecodePart(CustomerPart.Line(Guid.NewGuid()), value), "another id");
            Assert.Throws<InvalidDataException>(() => CustomerLayout.DecodePart(CustomerPart.Line(line.EventId), value.AsSpan(0, 5)), "truncated");
            Assert.Throws<InvalidDataException>(() => CustomerLayout.DecodePart(CustomerPart.Line(line.EventId), [7, 1]), "unknown format");
            Assert.Throws<InvalidDataException>(() => CustomerLayout.DecodeHandOver([CustomerLayout.HandOver, 9, 9]), "truncated hand-over");
            Assert.That(CustomerPart.TryRead([(byte)'x', .. new byte[16]], out _), Is.False, "unknown kind");
            Assert.That(CustomerPart.TryRead([CustomerPart.LineKind, 1, 2], out _), Is.False, "short suffix");
        });
    }

    // As a commit leaves it: everything held is stored.
    [Test]
    public void A_stored_line_tells_its_event_and_time_from_its_first_bytes_as_decoding_it_whole_does()
    {
        var line = new InteractionRecord(Guid.NewGuid(), new DateTime(2026, 12, 1, 9, 30, 15, 123, DateTimeKind.Utc), Channel.STORE, "StoreVisited", "visited store-1");
        var part = CustomerPart.Line(line.EventId);
        var stored = CustomerLayout.EncodeLine(line);

        var (eventId, at) = CustomerLayout.ReadLineIndex(part, stored);

        var whole = (InteractionRecord)CustomerLayout.DecodePart(part, stored);
        Assert.That((eventId, at), Is.EqualTo((whole.EventId, whole.At)));
        Assert.That(at.Kind, Is.EqualTo(DateTimeKind.Utc));
        Assert.Throws<InvalidDataException>(() => CustomerLayout.ReadLineIndex(CustomerPart.Line(Guid.NewGuid()), stored), "another line's key");
        Assert.Throws<InvalidDataException>(() => CustomerLayout.ReadLineIndex(part, stored.AsSpan(0, 20)), "truncated");
        Assert.Throws<InvalidDataException>(() => CustomerLayout.ReadLineIndex(part, CustomerLayout.EncodeAction(
            new ActionRecord(line.EventId, ActionType.CART_REMINDER, Channel.WEB, line.At, "c", null, null))), "an action");
    }

    private static void Written(CustomerState state)
    {
        state.Timeline.MarkWritten();
        state.Actions.MarkWritten();
    }

    private static string Json(CustomerState state) => Encoding.UTF8.GetString(CustomerStateCodec.ToJson(state));
}
