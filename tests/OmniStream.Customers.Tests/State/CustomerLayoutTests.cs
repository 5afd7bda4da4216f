using System.Text;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.State;

/// <summary>A customer stored as a core and parts: an event writes what it changed, and the parts read back into the same state.</summary>
public class CustomerLayoutTests
{
    private static readonly CustomerFold Fold = new(new FoldOptions { TimelineLength = 5 });

    [Test]
    public void An_event_writes_the_core_and_only_the_timeline_line_it_added()
    {
        var anna = new Interactions("anna");
        var before = Fold.ApplyAll(CustomerState.Empty("anna"), [anna.PageViewed(Channel.WEB), anna.After(TimeSpan.FromMinutes(1)).ProductViewed(Channel.WEB, "sku-1")]);
        var viewed = anna.After(TimeSpan.FromMinutes(1)).ProductViewed(Channel.MOBILE_APP, "sku-2");

        var after = Fold.Apply(before, viewed).State;
        var changes = CustomerLayout.Changes(CustomerLayout.PartsOf(before), after).ToList();

        Assert.That(changes.Select(c => c.Part), Is.EqualTo(new[] { CustomerPart.Line(viewed.eventId) }));
        Assert.That(changes.Single().Value, Is.Not.Null);
        var whole = CustomerStateCodec.Encode(after).Length;
        var written = CustomerStateCodec.Encode(CustomerLayout.Core(after)).Length + changes.Sum(c => c.Value!.Length);
        TestContext.Out.WriteLine($"whole state {whole} bytes, written {written} bytes");
        Assert.That(written, Is.LessThan(whole));
    }

    [Test]
    public void A_line_pushed_out_of_the_timeline_is_deleted()
    {
        var anna = new Interactions("anna");
        var events = Enumerable.Range(0, 5).Select(i => anna.After(TimeSpan.FromMinutes(1)).PageViewed(Channel.WEB, $"/page-{i}")).ToList();
        var before = Fold.ApplyAll(CustomerState.Empty("anna"), events);
        var next = anna.After(TimeSpan.FromMinutes(1)).AppOpened();

        var changes = CustomerLayout.Changes(CustomerLayout.PartsOf(before), Fold.Apply(before, next).State).ToList();

        Assert.That(changes, Is.EquivalentTo(new[]
        {
            (CustomerPart.Line(next.eventId), changes.Single(c => c.Value is not null).Value),
            (CustomerPart.Line(events[0].eventId), (byte[]?)null),
        }));
    }

    [Test]
    public void An_outcome_rewrites_only_its_action()
    {
        var state = CustomerStateCodecTests.RichState();
        var action = state.Actions.Single();

        var after = CustomerFold.WithOutcome(state, new ActionOutcome { actionId = action.ActionId, customerId = "anna", outcome = Outcome.CONVERTED, occurredAt = action.DecidedAt.AddHours(1) });
        var changes = CustomerLayout.Changes(CustomerLayout.PartsOf(state), after).ToList();

        Assert.That(changes.Select(c => c.Part), Is.EqualTo(new[] { CustomerPart.Action(action.ActionId) }));
        Assert.That(((ActionRecord)CustomerLayout.DecodePart(changes[0].Part, changes[0].Value!)).ConvertedAt, Is.Not.Null);
    }

    [Test]
    public void A_state_reads_back_from_its_core_and_parts()
    {
        var state = CustomerStateCodecTests.RichState();

        var core = CustomerStateCodec.Decode(CustomerStateCodec.Encode(CustomerLayout.Core(state)));
        var parts = CustomerLayout.Changes(new Dictionary<CustomerPart, IStamped?>(), state)
            .Select(c => CustomerLayout.DecodePart(CustomerPart.TryRead(c.Part.Suffix, out var part) ? part : throw new AssertionException("suffix"), c.Value!))
            .ToList();

        Assert.That(core.Interactions, Is.Empty);
        Assert.That(core.Actions, Is.Empty);
        Assert.That(parts, Has.Count.EqualTo(state.Interactions.Count + state.Actions.Count));
        Assert.That(Json(CustomerLayout.Join(core, parts)), Is.EqualTo(Json(state)));
    }

    [Test]
    public void A_state_stored_whole_before_parts_reads_as_it_was_and_its_next_write_moves_its_lists_into_parts()
    {
        var state = CustomerStateCodecTests.RichState();

        var read = CustomerLayout.Join(CustomerStateCodec.Decode(CustomerStateCodec.Encode(state)), []);
        var changes = CustomerLayout.Changes(new Dictionary<CustomerPart, IStamped?>(), read).ToList();

        Assert.That(Json(read), Is.EqualTo(Json(state)));
        Assert.That(changes.Select(c => c.Part), Is.EquivalentTo(
            state.Interactions.Select(i => CustomerPart.Line(i.EventId)).Concat(state.Actions.Select(a => CustomerPart.Action(a.ActionId)))));
        Assert.That(changes.All(c => c.Value is not null));
    }

    [Test]
    public void A_part_stored_but_unknown_to_the_writer_is_deleted_when_the_state_does_not_hold_it()
    {
        var state = CustomerStateCodecTests.RichState();
        var orphan = CustomerPart.Line(Guid.NewGuid());
        var stored = CustomerLayout.PartsOf(state);
        stored[orphan] = null;

        var changes = CustomerLayout.Changes(stored, state).ToList();

        Assert.That(changes, Is.EqualTo(new[] { (orphan, (byte[]?)null) }));
    }

    [Test]
    public void A_part_that_holds_no_record_of_its_kind_and_id_is_refused_with_a_reason()
    {
        var line = CustomerStateCodecTests.RichState().Interactions[0];
        var value = CustomerLayout.Changes(new Dictionary<CustomerPart, IStamped?>(), CustomerState.Empty("anna") with { Interactions = [line] }).Single().Value!;

        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidDataException>(() => CustomerLayout.DecodePart(CustomerPart.Line(Guid.NewGuid()), value), "another id");
            Assert.Throws<InvalidDataException>(() => CustomerLayout.DecodePart(CustomerPart.Line(line.EventId), value.AsSpan(0, 5)), "truncated");
            Assert.Throws<InvalidDataException>(() => CustomerLayout.DecodePart(CustomerPart.Line(line.EventId), [7, 1]), "unknown format");
            Assert.That(CustomerPart.TryRead([(byte)'x', .. new byte[16]], out _), Is.False, "unknown kind");
            Assert.That(CustomerPart.TryRead([CustomerPart.LineKind, 1, 2], out _), Is.False, "short suffix");
        });
    }

    private static string Json(CustomerState state) => Encoding.UTF8.GetString(CustomerStateCodec.ToJson(state));
}
