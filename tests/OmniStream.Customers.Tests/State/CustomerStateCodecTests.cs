using System.Collections.Immutable;
using System.Text;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.State;

/// <summary>
/// The stored customer state: binary, smaller than the JSON it replaced, and states stored by an
/// earlier version (JSON, and the binary layout as first released) still read after an upgrade.
/// The stored samples under <c>State/Stored</c> were written once and are never regenerated: a
/// change to the state's records that breaks them breaks states stored in production.
/// </summary>
public class CustomerStateCodecTests
{
    private static readonly string Stored = Path.Combine(Repository.Root, "tests", "OmniStream.Customers.Tests", "State", "Stored");

    [Test]
    public void Every_part_of_a_state_survives_encoding()
    {
        var state = RichState();

        var decoded = CustomerStateCodec.Decode(CustomerStateCodec.Encode(state));

        Assert.That(Json(decoded), Is.EqualTo(Json(state)));
        Assert.That(CustomerStateCodec.Encode(decoded), Is.EqualTo(CustomerStateCodec.Encode(state)));
        Assert.That(decoded.Actions.Single().Withheld, Is.True);
        Assert.That(decoded.Pending.Single().Value.Facts["cart"], Is.EqualTo("42.50"));
        Assert.That(decoded.LastEventAt.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void The_ids_a_customer_absorbed_survive_encoding_in_both_formats()
    {
        var state = RichState() with { Absorbed = ["anon-7"] };

        Assert.That(CustomerStateCodec.Decode(CustomerStateCodec.Encode(state)).Absorbed, Is.EqualTo(new[] { "anon-7" }));
        Assert.That(CustomerStateCodec.Decode(CustomerStateCodec.ToJson(state)).Absorbed, Is.EqualTo(new[] { "anon-7" }));
    }

    [Test]
    public void A_state_is_at_most_half_the_size_of_its_json()
    {
        var state = RichState();

        var binary = CustomerStateCodec.Encode(state).Length;
        var json = CustomerStateCodec.ToJson(state).Length;

        TestContext.Out.WriteLine($"stored state: {binary} bytes binary, {json} bytes JSON");
        Assert.That(binary, Is.LessThanOrEqualTo(json / 2));
    }

    [Test]
    public void A_state_stored_as_json_by_an_earlier_version_is_read()
    {
        var state = CustomerStateCodec.Decode(Sample("customer-v1.json"));

        Assert.That(state.CustomerId, Is.EqualTo("anna"));
        Assert.That(state.Orders, Has.Count.EqualTo(1));
        Assert.That(state.Actions.Single().Type, Is.EqualTo(ActionType.CART_REMINDER));
        Assert.That(state.RecentEventIds, Has.Count.EqualTo(9));
        Assert.That(Json(state), Is.EqualTo(Json(CustomerStateCodec.Decode(Sample("customer-v2.base64")))), "the same state as the binary sample");
    }

    [Test]
    public void A_binary_state_as_first_released_is_read_and_encoded_to_the_same_bytes_followed_by_members_added_since()
    {
        var binary = Sample("customer-v2.base64");

        var state = CustomerStateCodec.Decode(binary);

        Assert.That(binary[0], Is.EqualTo(CustomerStateCodec.Binary));
        Assert.That(state.Actions.Single().Withheld, Is.True);
        var encoded = CustomerStateCodec.Encode(state);
        // MemoryPack starts a record with its member count: one member (Absorbed) was added at the end since.
        const int membersAdded = 1;
        Assert.That(encoded[1], Is.EqualTo(binary[1] + membersAdded), "the state's member count");
        Assert.That(encoded.Skip(2).Take(binary.Length - 2), Is.EqualTo(binary.Skip(2)), "members and enum values kept their order");
        Assert.That(CustomerStateCodec.Decode(encoded).Absorbed, Is.Empty, "a member added since reads as its default");
    }

    [TestCase(new byte[0], TestName = "empty")]
    [TestCase(new byte[] { 7, 1, 2 }, TestName = "an unknown format byte")]
    [TestCase(new byte[] { CustomerStateCodec.Binary, 30, 1, 2 }, TestName = "truncated binary")]
    [TestCase(new byte[] { (byte)'{', (byte)'"' }, TestName = "broken JSON")]
    public void Bytes_that_are_no_state_are_refused_with_a_reason(byte[] bytes)
    {
        var error = Assert.Throws<InvalidDataException>(() => CustomerStateCodec.Decode(bytes));

        Assert.That(error!.Message, Is.Not.Empty);
    }

    [Test, Explicit("writes the stored samples; run once, when a format is released")]
    public void Write_stored_samples()
    {
        var state = RichState();
        File.WriteAllBytes(Path.Combine(Stored, "customer-v1.json"), CustomerStateCodec.ToJson(state));
        File.WriteAllText(Path.Combine(Stored, "customer-v2.base64"), Convert.ToBase64String(CustomerStateCodec.Encode(state)) + "\n");
    }

    private static byte[] Sample(string name) => name.EndsWith(".base64", StringComparison.Ordinal)
        ? Convert.FromBase64String(File.ReadAllText(Path.Combine(Stored, name)).Trim())
        : File.ReadAllBytes(Path.Combine(Stored, name));

    private static string Json(CustomerState state) => Encoding.UTF8.GetString(CustomerStateCodec.ToJson(state));

    // A customer with every part filled: what the fold makes from events, and what decisions add.
    internal static CustomerState RichState()
    {
        var anna = new Interactions("anna");
        var fold = new CustomerFold(new FoldOptions());
        var state = fold.ApplyAll(CustomerState.Empty("anna"),
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
        return state with
        {
            Actions = [new ActionRecord(id, ActionType.CART_REMINDER, Channel.EMAIL, at, "cart-reminder", Outcome.CLICKED, at.AddMinutes(5),
                "b", null, "cart-reminder", Purpose.MARKETING, "arm-2", Withheld: true)],
            Pending = ImmutableSortedDictionary<string, PendingDecision>.Empty.Add("cart-abandoned/cart-1",
                new PendingDecision("cart-abandoned/cart-1", "cart-abandoned", at.AddHours(1), at, id, Channel.WEB, null,
                    ImmutableSortedDictionary<string, string>.Empty.Add("cart", "42.50"))),
            Silent = [new SilentDecision(id, "browse-abandoned", at, ["no consent"])],
            RefusedLinks = [new RefusedLink("device-9", "bob", id, at)],
            Segments = ["high-value", "recent-buyer"],
            MarketingPausedUntil = at.AddDays(7),
        };
    }
}
