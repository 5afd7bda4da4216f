using System.Collections.Immutable;
using System.Text;
using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Customers.State.Legacy;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.State;

/// <summary>
/// The stored customer state: the working state's sections (format 3), whole for a hand-over (format 5),
/// and the states stored by earlier versions (JSON, format 1; the whole record in MemoryPack, format 2),
/// which still read after an upgrade. The stored samples under <c>State/Stored</c> were written once
/// and are never regenerated: a change that breaks them breaks states stored in production.
/// </summary>
public class CustomerStateCodecTests
{
    private static readonly string Stored = Path.Combine(Repository.Root, "tests", "OmniStream.Customers.Tests", "State", "Stored");

    [Test]
    public void Every_stored_member_of_a_state_survives_encoding_whole()
    {
        var state = RichState();

        var decoded = CustomerStateCodec.Decode(CustomerStateCodec.Encode(state));

        Assert.That(CustomerStateCodec.Encode(decoded), Is.EqualTo(CustomerStateCodec.Encode(state)));
        Assert.Multiple(() =>
        {
            Assert.That(decoded.Pending.Single().Value.Facts["cart"], Is.EqualTo("42.50"));
            Assert.That(decoded.LastEventAt.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(decoded.Absorbed, Is.EqualTo(new[] { "anon-7" }));
            Assert.That(decoded.Journeys["all"].Scopes, Is.EqualTo(new[] { "all", "segment:high-value" }));
            Assert.That(decoded.ArmedDue, Is.EqualTo(state.ArmedDue));
            Assert.That(decoded.EarlierEventIds, Is.EqualTo(state.EarlierEventIds));
            Assert.That(decoded.Segments, Is.EqualTo(new[] { "high-value", "recent-buyer" }));
            Assert.That(state.Timeline.Entries, Is.Not.Empty);
            Assert.That(decoded.Timeline.Entries, Is.Empty, "timeline lines are parts of their own, and so is their index: a store finds it in their keys");
            Assert.That(decoded.Actions, Is.Empty, "actions are parts of their own");
        });
    }

    [Test]
    public void A_stored_state_leaves_out_what_can_be_computed_and_what_is_stored_apart()
    {
        var state = RichState();

        var core = CustomerStateCodec.EncodeCore(state).Length;
        var whole = CustomerStateCodec.Encode(state).Length;
        var json = CustomerStateCodec.ToJson(state).Length;

        TestContext.Out.WriteLine($"stored core: {core} bytes; every section: {whole} bytes; the whole state as JSON: {json} bytes");
        Assert.That(whole, Is.LessThanOrEqualTo(json / 3));
        Assert.That(core, Is.LessThanOrEqualTo(whole / 2), "an event that only moves the customer's time rewrites the core, not the rest");
    }

    [Test]
    public void Each_section_reads_back_on_its_own_into_the_core()
    {
        var state = RichState();
        var read = CustomerStateCodec.Decode(CustomerStateCodec.EncodeCore(state));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        for (var section = StateSections.Core + 1; section < StateSections.Count; section++)
        {
            Assert.That(StateSections.IsEmpty(state, section), Is.False, $"the rich state fills section {section}");
            buffer.ResetWrittenCount();
            CustomerStateCodec.WriteSection(state, section, buffer);
            CustomerStateCodec.ReadSection(read, buffer.WrittenSpan);
        }

        Assert.That(CustomerStateCodec.Encode(read), Is.EqualTo(CustomerStateCodec.Encode(state)));
        Assert.That(read.SegmentsSince, Is.EqualTo(state.SegmentsSince), "the segments' times, which a whole state leaves out");
    }

    [Test]
    public void A_whole_state_leaves_out_when_the_customer_entered_their_segments()
    {
        var state = RichState();

        var whole = CustomerStateCodec.Decode(CustomerStateCodec.Encode(state));

        Assert.That(Sections(CustomerStateCodec.Encode(state)).Select(s => (int)s[1]), Does.Not.Contain(StateSections.SegmentTimes),
            "a hand-over's segments are evaluated again where it lands, and a version before the times reads every hand-over");
        Assert.That(whole.SegmentsSince, Is.Empty);
        Assert.That(whole.Segments, Is.EqualTo(state.Segments));
    }

    [Test]
    public void A_core_is_no_section_and_a_section_is_no_core()
    {
        var state = RichState();
        var core = CustomerStateCodec.EncodeCore(state);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        CustomerStateCodec.WriteSection(state, StateSections.Profile, buffer);

        Assert.Throws<InvalidDataException>(() => CustomerStateCodec.ReadSection(new CustomerState("x"), core));
        Assert.Throws<InvalidDataException>(() => CustomerStateCodec.Decode(buffer.WrittenSpan));
    }

    [Test]
    public void The_ids_a_customer_absorbed_survive_in_the_core_and_in_the_json_export()
    {
        var state = RichState();

        Assert.That(CustomerStateCodec.Decode(CustomerStateCodec.Encode(state)).Absorbed, Is.EqualTo(new[] { "anon-7" }));
        Assert.That(CustomerStateCodec.Decode(CustomerStateCodec.ToJson(state)).Absorbed, Is.EqualTo(new[] { "anon-7" }));
    }

    [Test]
    public void A_state_stored_in_sections_is_read()
    {
        // Format 5 holds each section exactly as the store does (format 3): a section changed breaks this sample.
        var sample = Sample("customer-v4-journeys.base64");

        var state = CustomerStateCodec.Decode(sample);

        Assert.That(sample[0], Is.EqualTo(CustomerStateCodec.Whole));
        Assert.That(CustomerStateCodec.Encode(state), Is.EqualTo(sample), "encoded again to the same bytes");
        Assert.That(state.Journeys, Has.Count.EqualTo(2));
        Assert.That(state.Journeys["WEB"].Scopes, Is.EqualTo(new[] { "channel:WEB" }), "a channel's journey, in its channel's scope: read from its key");
        Assert.That(state.Pending.Single().Key, Is.EqualTo("cart-abandoned/cart-1"));
    }

    [Test]
    public void A_state_stored_with_its_channel_journeys_scopes_is_read_with_them_and_written_without()
    {
        var sample = Sample("customer-v3-index-by-key.base64");

        var state = CustomerStateCodec.Decode(sample);
        var again = CustomerStateCodec.Encode(state);

        var journeys = Sections(sample).FindIndex(section => section[1] == StateSections.Journeys);
        Assert.That(Sections(again).Where((_, i) => i != journeys), Is.EqualTo(Sections(sample).Where((_, i) => i != journeys)), "every other section as stored");
        Assert.That(Sections(again)[journeys].Length, Is.LessThan(Sections(sample)[journeys].Length));
        Assert.That(Json(CustomerStateCodec.Decode(again)), Is.EqualTo(Json(state)), "the same state");
    }

    [Test]
    public void A_state_stored_with_its_timeline_index_in_the_core_is_read_with_it_and_written_without()
    {
        var sample = Sample("customer-v3.base64");

        var state = CustomerStateCodec.Decode(sample);
        var again = CustomerStateCodec.Encode(state);

        Assert.That(state.Timeline.Entries.Select(e => e.At), Is.Ordered.Descending, "the index as the core held it, newest first");
        Assert.That(state.Timeline.Entries, Has.Count.EqualTo(RichState().Timeline.Entries.Count));
        Assert.That(Sections(again).Skip(1).Where(section => section[1] != StateSections.Journeys),
            Is.EqualTo(Sections(sample).Skip(1).Where(section => section[1] != StateSections.Journeys)), "every section but the core (and the journeys', see above) as stored");
        Assert.That(CustomerStateCodec.Decode(again).Timeline.Entries, Is.Empty, "the core written again leaves the index to the lines' keys");
    }

    [Test]
    public void A_state_stored_as_json_by_an_earlier_version_is_read_with_its_lines_and_actions_to_write()
    {
        var state = CustomerStateCodec.Decode(Sample("customer-v1.json"));

        Assert.That(state.CustomerId, Is.EqualTo("anna"));
        Assert.That(state.Orders, Has.Count.EqualTo(1));
        Assert.That(state.Actions.Single().Type, Is.EqualTo(ActionType.CART_REMINDER));
        Assert.That(state.Actions.Changed.Count(), Is.EqualTo(1), "the action is written as a part at the next commit");
        Assert.That(state.Timeline.Unwritten.Count(), Is.EqualTo(9), "so are its timeline lines");
        Assert.That(state.EarlierEventIds, Has.Count.EqualTo(9));
        Assert.That(Json(state), Is.EqualTo(Json(CustomerStateCodec.Decode(Sample("customer-v2.base64")))), "the same state as the binary sample");
    }

    [Test]
    public void A_state_in_format_2_as_first_released_reads_into_the_legacy_record_with_its_members_in_order()
    {
        var binary = Sample("customer-v2.base64");

        var legacy = LegacyFormats.Decode(binary);

        Assert.That(binary[0], Is.EqualTo(CustomerStateCodec.Binary));
        Assert.That(legacy.Actions.Single().Withheld, Is.True);
        var encoded = LegacyFormats.ToBinary(legacy);
        // MemoryPack starts a record with its member count: one member (Absorbed) was added at the end since.
        const int membersAdded = 1;
        Assert.That(encoded[1], Is.EqualTo(binary[1] + membersAdded), "the state's member count");
        Assert.That(encoded.Skip(2).Take(binary.Length - 2), Is.EqualTo(binary.Skip(2)), "members and enum values kept their order");
        Assert.That(LegacyFormats.Decode(encoded).Absorbed, Is.Empty, "a member added since reads as its default");
    }

    [TestCase(new byte[0], TestName = "empty")]
    [TestCase(new byte[] { 7, 1, 2 }, TestName = "an unknown format byte")]
    [TestCase(new byte[] { CustomerStateCodec.Binary, 30, 1, 2 }, TestName = "truncated binary")]
    [TestCase(new byte[] { CustomerStateCodec.Section, StateSections.Core, 4, 0, 0, 0, 97 }, TestName = "truncated core")]
    [TestCase(new byte[] { CustomerStateCodec.Whole, 9, 0, 0, 0, CustomerStateCodec.Section }, TestName = "truncated whole")]
    [TestCase(new byte[] { CustomerStateCodec.Whole }, TestName = "whole without sections")]
    [TestCase(new byte[] { (byte)'{', (byte)'"' }, TestName = "broken JSON")]
    public void Bytes_that_are_no_state_are_refused_with_a_reason(byte[] bytes)
    {
        var error = Assert.Throws<InvalidDataException>(() => CustomerStateCodec.Decode(bytes));

        Assert.That(error!.Message, Is.Not.Empty);
    }

    [Test, Explicit("writes the stored sample of formats 3 and 5; run once, when the format is released")]
    public void Write_stored_samples() =>
        File.WriteAllText(Path.Combine(Stored, "customer-v4-journeys.base64"), Convert.ToBase64String(CustomerStateCodec.Encode(RichState())) + "\n");

    // The sections of a whole state (format 5), each as the store holds it.
    private static List<byte[]> Sections(byte[] whole)
    {
        var sections = new List<byte[]>();
        for (var at = 1; at < whole.Length;)
        {
            var length = BitConverter.ToInt32(whole, at);
            sections.Add(whole[(at + sizeof(int))..(at + sizeof(int) + length)]);
            at += sizeof(int) + length;
        }
        return sections;
    }

    private static byte[] Sample(string name) => name.EndsWith(".base64", StringComparison.Ordinal)
        ? Convert.FromBase64String(File.ReadAllText(Path.Combine(Stored, name)).Trim())
        : File.ReadAllBytes(Path.Combine(Stored, name));

    private static string Json(CustomerState state) => Encoding.UTF8.GetString(CustomerStateCodec.ToJson(state));

    // A customer with every part filled: what the fold makes from events, and what decisions, KPIs and timers add.
    internal static CustomerState RichState()
    {
        var anna = new Interactions("anna");
        var fold = new CustomerFold(new FoldOptions());
        var state = fold.ApplyAll(new CustomerState("anna"),
        [
            anna.ProfileUpdated(Channel.WEB, "firstName", "Anna"),
            anna.After(TimeSpan.FromMinutes(1)).MarketingConsent(Channel.EMAIL),
            anna.After(TimeSpan.FromMinutes(1)).ProductViewed(Channel.WEB, "sku-1"),
            anna.After(TimeSpan.FromMinutes(1)).CartUpdated(Channel.WEB, ("sku-1", 2, 21.25m)),
            anna.After(TimeSpan.FromMinutes(1)).StoreOrder("order-1", 99.90m),
            anna.After(TimeSpan.FromMinutes(1)).TicketOpened(Channel.CALL_CENTER, "ticket-1"),
            anna.After(TimeSpan.FromMinutes(1)).SurveyAnswered(Channel.EMAIL, nps: 9, ces: 2),
            anna.After(TimeSpan.FromMinutes(1)).AppOpened(),
            anna.After(TimeSpan.FromMinutes(1)).Identified(Channel.WEB, "anon-7"),
        ]);
        var at = anna.Now;
        var id = new Guid("6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b");
        fold.WithAction(state, new ActionRecord(id, ActionType.CART_REMINDER, Channel.EMAIL, at, "cart-reminder", Outcome.CLICKED, at.AddMinutes(5),
            "b", null, "cart-reminder", Purpose.MARKETING, "arm-2", Withheld: true));
        state.Pending["cart-abandoned/cart-1"] = new PendingDecision("cart-abandoned/cart-1", "cart-abandoned", at.AddHours(1), at, id, Channel.WEB, null,
            ImmutableSortedDictionary<string, string>.Empty.Add("cart", "42.50"));
        CustomerFold.WithSilence(state, new SilentDecision(id, "browse-abandoned", at, ["no consent"]));
        state.RefusedLinks.Add(new RefusedLink("device-9", "bob", id, at));
        state.Segments.UnionWith(["high-value", "recent-buyer"]);
        state.SegmentsSince["high-value"] = at.AddDays(-3);
        state.MarketingPausedUntil = at.AddDays(7);
        state.Absorbed.Add("anon-7");
        state.Journeys["all"] = new Journey(at.AddMinutes(-8), ["all", "segment:high-value"], false);
        state.Journeys["WEB"] = new Journey(at.AddMinutes(-8), ["channel:WEB"], true);
        state.ArmedDue = at.AddHours(1);
        state.EarlierEventIds[new Guid("00000000-0000-0000-0000-000000000042")] = at.AddMinutes(-30);
        return state;
    }
}
