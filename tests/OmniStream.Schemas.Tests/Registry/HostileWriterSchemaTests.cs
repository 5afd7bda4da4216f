using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Avro.IO;
using Confluent.SchemaRegistry;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Registry;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Registry;

namespace OmniStream.Schemas.Tests.Registry;

/// <summary>
/// A writer schema whose array items take no bytes (<c>array&lt;null&gt;</c>) lets a record of a megabyte claim a block
/// per byte, each of as many items as bytes are left: some 10^10 items to read. Whoever may register schemas could
/// stall every reader of a topic with one record; the serde refuses such a schema from a registry, and its decoder
/// reads no more items than a record has bytes whatever the schema.
/// </summary>
public sealed class HostileWriterSchemaTests
{
    private const string Subject = "omni.interactions.web-value";
    private const int BodyBytes = 1 << 20;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_registry_schema_that_is_no_released_version_of_the_contract_is_refused_before_its_record_is_read()
    {
        using var registry = new TestSchemaRegistry();
        using var client = new SchemaRegistryOptions { Url = registry.Url }.CreateClient();
        var id = await client.RegisterSchemaAsync(Subject, new Schema(HostileSchemaJson(), SchemaType.Avro));
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, client);
        var message = new byte[5 + BodyBytes];
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), id);
        HostileBody().CopyTo(message.AsSpan(5));

        var error = DecodeError(() => serde.DeserializeAsync(message).AsTask());

        Assert.That(error.Failure, Is.EqualTo(DecodeFailure.IncompatibleSchema), error.Message);
        Assert.That(error.Message, Does.Contain($"schema id {id}").And.Contain("not a released version"));
    }

    [Test]
    public void A_writer_schema_whose_items_take_no_bytes_reads_no_more_items_than_the_record_has_bytes()
    {
        // As if such a schema had been released: the decoder's own bound is what stops the record.
        var hostile = Avro.Schema.Parse(HostileSchemaJson());
        var catalog = new SchemaCatalog(ContractTypes.Current, [new ReleasedSchema(hostile.Fullname, 99, hostile)]);
        var serde = new AvroSerde<InteractionEvent>(catalog);
        using var message = new MemoryStream();
        WireHeader.WriteSingleObject(message, SchemaCatalog.Fingerprint(hostile));
        message.Write(HostileBody());
        var bytes = message.ToArray();

        var error = DecodeError(() => serde.DeserializeAsync(bytes).AsTask());

        Assert.That(error.Failure, Is.EqualTo(DecodeFailure.MalformedBody), error.Message);
        Assert.That(error.Message, Does.Contain("more items than the record has bytes"));
    }

    // The decode, on a thread of its own, given a deadline: before the bound it ran for hours.
    private static AvroDecodeException DecodeError(Func<Task> decode)
    {
        var decoding = Task.Run(decode);
        Assert.That(Task.WaitAny([decoding], Deadline), Is.EqualTo(0), $"the record was still being read after {Deadline.TotalSeconds} s");
        Assert.That(decoding.IsFaulted, "the record decoded");
        return decoding.Exception!.InnerException as AvroDecodeException
            ?? throw new AssertionException($"not a decode error: {decoding.Exception}");
    }

    // The contract with a first field of nulls, which its reader skips.
    private static string HostileSchemaJson()
    {
        var schema = JsonNode.Parse(InteractionEvent._SCHEMA.ToString())!.AsObject();
        schema["fields"]!.AsArray().Insert(0, new JsonObject
        {
            ["name"] = "padding",
            ["type"] = new JsonObject { ["type"] = "array", ["items"] = "null" },
        });
        return schema.ToJsonString();
    }

    // Blocks of 100,000 nulls, three bytes each, for a megabyte: each block fits in the bytes left, until the last ones.
    private static byte[] HostileBody()
    {
        using var body = new MemoryStream(BodyBytes);
        var encoder = new BinaryEncoder(body);
        while (body.Length < BodyBytes - 8)
        {
            encoder.WriteLong(100_000);
        }
        body.SetLength(BodyBytes);
        return body.ToArray();
    }
}
