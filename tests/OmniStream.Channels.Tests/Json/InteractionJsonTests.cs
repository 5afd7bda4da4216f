using System.Text.Json;
using System.Text.Json.Nodes;
using Avro;
using OmniStream.Adapters.Json;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;

namespace OmniStream.Channels.Tests.Json;

public class InteractionJsonTests
{
    private static readonly AvroSerde<InteractionEvent> Serde = new(SchemaCatalog.Default);

    private const string Cart = """
        {
          "occurredAt": "2026-11-30T10:15:00+01:00",
          "channel": "WEB",
          "subject": { "anonymousId": "cookie-1" },
          "sessionId": "s-1",
          "payload": {
            "type": "CartUpdated",
            "cartId": "cart-1",
            "lines": [{ "productId": "sku-1", "quantity": 2, "unitPrice": 19.9 }],
            "total": 39.80,
            "currency": "EUR"
          }
        }
        """;

    [Test]
    public void A_cart_update_reads_with_its_payload_times_in_utc_and_amounts_in_cents()
    {
        var interaction = InteractionJson.Read(Parse(Cart));

        var cart = (CartUpdated)interaction.payload;
        Assert.Multiple(() =>
        {
            Assert.That(interaction.channel, Is.EqualTo(Channel.WEB));
            Assert.That(interaction.subject.anonymousId, Is.EqualTo("cookie-1"));
            Assert.That(interaction.occurredAt, Is.EqualTo(new DateTime(2026, 11, 30, 9, 15, 0, DateTimeKind.Utc)));
            Assert.That(interaction.eventId, Is.EqualTo(Guid.Empty), "left for the publisher to fill in");
            Assert.That(cart.lines.Single().quantity, Is.EqualTo(2));
            Assert.That(cart.lines.Single().unitPrice, Is.EqualTo(Amount.Of(19.90m)));
            Assert.That(cart.total, Is.EqualTo(Amount.Of(39.80m)));
        });
    }

    [TestCaseSource(nameof(PayloadNames))]
    public async Task Every_payload_of_the_contract_reads_and_encodes(string payload)
    {
        var json = new JsonObject
        {
            ["eventId"] = "6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b",
            ["occurredAt"] = "2026-11-30T10:15:00Z",
            ["channel"] = "STORE",
            ["subject"] = new JsonObject { ["customerId"] = "anna" },
            ["payload"] = Sample(PayloadSchemas().Single(s => s.Name == payload), withType: true),
        };

        var interaction = InteractionJson.Read(Parse(json.ToJsonString()));
        var bytes = await Serde.SerializeAsync(interaction, "omni.interactions.store");

        Assert.That(interaction.payload.GetType().Name, Is.EqualTo(payload));
        Assert.That((await Serde.DeserializeAsync(bytes)).payload.GetType().Name, Is.EqualTo(payload));
    }

    [TestCase("""{"occurredAt": "2026-11-30T10:15:00Z", "subject": {"customerId": "a"}, "payload": {"type": "AppOpened", "pushEnabled": true}}""",
        "channel is required")]
    [TestCase("""{"occurredAt": "2026-11-30T10:15:00Z", "channel": "FAX", "subject": {"customerId": "a"}, "payload": {"type": "AppOpened", "pushEnabled": true}}""",
        "channel 'FAX' is not a Channel (one of")]
    [TestCase("""{"occurredAt": "2026-11-30T10:15:00", "channel": "WEB", "subject": {"customerId": "a"}, "payload": {"type": "AppOpened", "pushEnabled": true}}""",
        "occurredAt needs a time zone")]
    [TestCase("""{"occurredAt": "2026-11-30T10:15:00Z", "channel": "WEB", "subject": {"customerId": "a"}, "payload": {"type": "Teleported"}}""",
        "payload.type 'Teleported' is not one of PageViewed, ProductViewed")]
    [TestCase("""{"occurredAt": "2026-11-30T10:15:00Z", "channel": "WEB", "subject": {"customerId": "a"}, "payload": {"pushEnabled": true}}""",
        "payload.type is required: one of PageViewed")]
    [TestCase("""{"occurredAt": "2026-11-30T10:15:00Z", "channel": "WEB", "subject": {"customerId": "a"}, "payload": {"type": "AppOpened", "pushEnable": true}}""",
        "payload.pushEnable is not a field of AppOpened")]
    [TestCase("""{"occurredAt": "2026-11-30T10:15:00Z", "channel": "WEB", "subject": {"customerId": "a"}, "payload": {"type": "CartUpdated", "cartId": "c", "lines": [{"productId": "p", "quantity": "2", "unitPrice": 1}], "total": 1, "currency": "EUR"}}""",
        "payload.lines[0].quantity must be an integer, not a string")]
    [TestCase("""{"occurredAt": "2026-11-30T10:15:00Z", "channel": "WEB", "subject": {"customerId": "a"}, "payload": {"type": "CartUpdated", "cartId": "c", "lines": [], "total": 1.005, "currency": "EUR"}}""",
        "payload.total has more than 2 decimals")]
    [TestCase("""{"occurredAt": "2026-11-30T10:15:00Z", "channel": "WEB", "subject": {"customerId": "a"}, "payload": {"type": "SurveyAnswered", "surveyId": "s", "nps": 9.5}}""",
        "payload.nps is not a 32-bit integer")]
    [TestCase("""["not", "an", "event"]""", "the event must be an object (InteractionEvent), not an array")]
    public void A_wrong_event_is_refused_naming_the_field(string json, string error)
    {
        var refused = Assert.Throws<InteractionJsonException>(() => InteractionJson.Read(Parse(json)));

        Assert.That(refused!.Message, Does.StartWith(error));
    }

    [Test]
    public void Strings_arrays_and_maps_are_bounded()
    {
        var longId = new string('x', InteractionJson.MaxStringLength + 1);
        var lines = string.Join(",", Enumerable.Repeat("""{"productId": "p", "quantity": 1, "unitPrice": 1}""", InteractionJson.MaxItems + 1));
        var attributes = string.Join(",", Enumerable.Range(0, InteractionJson.MaxItems + 1).Select(i => $"\"a{i}\": \"v\""));
        const string head = """{"occurredAt": "2026-11-30T10:15:00Z", "channel": "WEB", "subject": {"customerId": "a"}, "payload": """;

        Assert.Multiple(() =>
        {
            Assert.That(() => InteractionJson.Read(Parse(head + "{\"type\": \"PageViewed\", \"location\": \"" + longId + "\"}}")),
                Throws.TypeOf<InteractionJsonException>().With.Message.Contains($"payload.location is {InteractionJson.MaxStringLength + 1} characters long"));
            Assert.That(() => InteractionJson.Read(Parse(head + "{\"type\": \"CartUpdated\", \"cartId\": \"c\", \"lines\": [" + lines + "], \"total\": 1, \"currency\": \"EUR\"}}")),
                Throws.TypeOf<InteractionJsonException>().With.Message.Contains($"payload.lines has {InteractionJson.MaxItems + 1} items"));
            Assert.That(() => InteractionJson.Read(Parse(head + "{\"type\": \"ProfileUpdated\", \"attributes\": {" + attributes + "}}}")),
                Throws.TypeOf<InteractionJsonException>().With.Message.Contains($"payload.attributes has more than {InteractionJson.MaxItems} entries"));
        });
    }

    private static IEnumerable<string> PayloadNames() => PayloadSchemas().Select(s => s.Name);

    private static IEnumerable<RecordSchema> PayloadSchemas() =>
        ((UnionSchema)((RecordSchema)InteractionEvent._SCHEMA)["payload"].Schema).Schemas.Cast<RecordSchema>();

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    // A value of every field, optional ones included, as a channel would write it.
    private static JsonNode Sample(Schema schema, bool withType = false) => schema switch
    {
        RecordSchema record => new JsonObject(record.Fields.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)Sample(f.Schema)))
            .Prepend(KeyValuePair.Create("type", withType ? (JsonNode?)record.Name : null)).Where(p => p.Value is not null)),
        UnionSchema union => Sample(union.Schemas.First(s => s.Tag != Schema.Type.Null)),
        EnumSchema symbols => JsonValue.Create(symbols.Symbols.Last())!,
        ArraySchema array => new JsonArray(Sample(array.ItemSchema)),
        MapSchema map => new JsonObject { ["key"] = Sample(map.ValueSchema) },
        LogicalSchema { LogicalTypeName: "uuid" } => JsonValue.Create(Guid.NewGuid().ToString())!,
        LogicalSchema { LogicalTypeName: "timestamp-millis" } => JsonValue.Create("2026-11-30T12:00:00Z")!,
        LogicalSchema { LogicalTypeName: "decimal" } => JsonValue.Create(12.34m)!,
        _ => schema.Tag switch
        {
            Schema.Type.String => JsonValue.Create("text")!,
            Schema.Type.Int => JsonValue.Create(3)!,
            Schema.Type.Long => JsonValue.Create(3L)!,
            Schema.Type.Double => JsonValue.Create(0.5)!,
            Schema.Type.Boolean => JsonValue.Create(true)!,
            _ => throw new ArgumentException($"no sample for {schema.Tag}"),
        },
    };
}
