using System.Buffers.Binary;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;

namespace OmniStream.Schemas.Tests.Wire;

public class AvroSerdeTests
{
    private readonly AvroSerde<InteractionEvent> _serde = new(SchemaCatalog.Default);

    [Test]
    public async Task Single_object_encoding_starts_with_C3_01_and_the_schema_fingerprint()
    {
        var bytes = await _serde.SerializeAsync(Samples.CartUpdatedOnWeb(), "omni.interactions.web");

        Assert.That(bytes[0], Is.EqualTo(0xC3));
        Assert.That(bytes[1], Is.EqualTo(0x01));
        Assert.That(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(2)), Is.EqualTo(SchemaCatalog.Fingerprint(InteractionEvent._SCHEMA)));
    }

    [Test]
    public async Task An_event_survives_a_round_trip_with_its_payload_money_and_times()
    {
        var original = Samples.CartUpdatedOnWeb();

        var decoded = await _serde.DeserializeAsync(await _serde.SerializeAsync(original, "omni.interactions.web"));

        Assert.That(decoded.eventId, Is.EqualTo(original.eventId));
        Assert.That(decoded.occurredAt, Is.EqualTo(original.occurredAt));
        Assert.That(decoded.subject.customerId, Is.EqualTo("anna"));
        var cart = (CartUpdated)decoded.payload;
        Assert.That(cart.lines.Single().unitPrice.ToString(), Is.EqualTo("19.99"));
        Assert.That(cart.total.ToString(), Is.EqualTo("39.98"));
    }

    [TestCaseSource(nameof(EveryPayload))]
    public async Task Every_payload_type_survives_a_round_trip(InteractionEvent interaction)
    {
        var decoded = await _serde.DeserializeAsync(await _serde.SerializeAsync(interaction, "t"));

        Assert.That(decoded.payload.GetType(), Is.EqualTo(interaction.payload.GetType()));
        Assert.That(decoded.eventId, Is.EqualTo(interaction.eventId));
    }

    private static IEnumerable<TestCaseData> EveryPayload()
    {
        var anna = new Interactions("anna");
        yield return new TestCaseData(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m))).SetName("CartUpdated");
        yield return new TestCaseData(anna.OrderPlaced(Channel.WEB, 10m)).SetName("OrderPlaced");
        yield return new TestCaseData(anna.AppOpened()).SetName("AppOpened");
        yield return new TestCaseData(anna.StoreVisited()).SetName("StoreVisited");
        yield return new TestCaseData(anna.PageViewed(Channel.WEB)).SetName("PageViewed");
    }

    [TestCaseSource(nameof(Malformed))]
    public async Task Bytes_that_do_not_decode_give_a_typed_error_naming_why(byte[] bytes, DecodeFailure expected)
    {
        var error = await Assert.ThrowsAsync<AvroDecodeException>(async () => await _serde.DeserializeAsync(bytes));

        Assert.That(error!.Failure, Is.EqualTo(expected));
        Assert.That(error.Message, Does.StartWith(expected.ToString()));
    }

    [Test]
    public async Task Bytes_left_over_after_the_record_are_an_error()
    {
        var bytes = await _serde.SerializeAsync(Samples.CartUpdatedOnWeb(), "t");

        var error = await Assert.ThrowsAsync<AvroDecodeException>(async () => await _serde.DeserializeAsync(bytes.Append((byte)7).ToArray()));

        Assert.That(error!.Failure, Is.EqualTo(DecodeFailure.MalformedBody));
        Assert.That(error.Message, Does.Contain("left over"));
    }

    [Test]
    public async Task A_cut_body_is_malformed()
    {
        var bytes = await _serde.SerializeAsync(Samples.CartUpdatedOnWeb(), "t");

        var error = await Assert.ThrowsAsync<AvroDecodeException>(async () => await _serde.DeserializeAsync(bytes.AsMemory(0, bytes.Length / 2)));

        Assert.That(error!.Failure, Is.EqualTo(DecodeFailure.MalformedBody));
    }

    [Test]
    public async Task Another_contract_type_is_not_read_as_an_interaction_event()
    {
        var outcome = new ActionOutcome { outcomeId = Guid.NewGuid(), actionId = Guid.NewGuid(), customerId = "c", occurredAt = DateTime.UtcNow };
        var bytes = await new AvroSerde<ActionOutcome>(SchemaCatalog.Default).SerializeAsync(outcome, "t");

        var error = await Assert.ThrowsAsync<AvroDecodeException>(async () => await _serde.DeserializeAsync(bytes));

        Assert.That(error!.Failure, Is.EqualTo(DecodeFailure.IncompatibleSchema));
    }

    [Test]
    public async Task An_amount_of_another_scale_is_refused_naming_the_type_and_Amount_Of_fixes_it()
    {
        var interaction = Samples.CartUpdatedOnWeb();
        ((CartUpdated)interaction.payload).total = new Avro.AvroDecimal(10m);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await _serde.SerializeAsync(interaction, "t"));
        ((CartUpdated)interaction.payload).total = Amount.Of(10m);

        Assert.That(error!.Message, Does.Contain("InteractionEvent cannot be encoded").And.Contain("scale"));
        Assert.That(await _serde.SerializeAsync(interaction, "t"), Is.Not.Empty);
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        yield return new TestCaseData(Array.Empty<byte>(), DecodeFailure.Empty).SetName("empty");
        yield return new TestCaseData("{\"json\":true}"u8.ToArray(), DecodeFailure.UnknownFormat).SetName("json");
        yield return new TestCaseData(new byte[] { 0xC3, 0x01, 1, 2 }, DecodeFailure.TruncatedHeader).SetName("short single-object header");
        yield return new TestCaseData(new byte[] { 0x00, 0, 0 }, DecodeFailure.TruncatedHeader).SetName("short Confluent header");
        yield return new TestCaseData(new byte[] { 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0 }, DecodeFailure.UnknownFingerprint).SetName("unknown fingerprint");
        yield return new TestCaseData(new byte[] { 0x00, 0, 0, 0, 42, 0 }, DecodeFailure.UnknownSchemaId).SetName("registry id without registry");
    }
}
