using System.Buffers.Binary;
using Confluent.SchemaRegistry;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Registry;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Registry;

namespace OmniStream.Schemas.Tests.Registry;

/// <summary>Confluent framing through Confluent's registry client and serializer, against a registry over real HTTP.</summary>
public sealed class RegistryFramingTests
{
    private TestSchemaRegistry _registry = null!;

    [SetUp]
    public void StartRegistry() => _registry = new TestSchemaRegistry();

    [TearDown]
    public void StopRegistry() => _registry.Dispose();

    [Test]
    public async Task With_a_registry_messages_use_Confluent_framing_with_the_id_registered_under_the_topics_subject()
    {
        using var client = Client();
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, client);

        var bytes = await serde.SerializeAsync(Samples.CartUpdatedOnWeb(), "omni.interactions.web");

        var registered = await client.LookupSchemaAsync("omni.interactions.web-value", new Schema(InteractionEvent._SCHEMA.ToString(), SchemaType.Avro), ignoreDeletedSchemas: true);
        Assert.That(bytes[0], Is.EqualTo(0x00));
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)), Is.EqualTo(registered.Id));
        Assert.That(registered.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task A_reader_with_a_cold_cache_fetches_the_writer_schema_by_id_once()
    {
        using var writerClient = Client();
        var bytes = await new AvroSerde<InteractionEvent>(SchemaCatalog.Default, writerClient).SerializeAsync(Samples.CartUpdatedOnWeb(), "omni.interactions.web");
        using var readerClient = Client();
        var reader = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, readerClient);
        var before = _registry.Requests;

        var first = await reader.DeserializeAsync(bytes);
        await reader.DeserializeAsync(bytes);

        Assert.That(first.channel, Is.EqualTo(Channel.WEB));
        Assert.That(_registry.Requests - before, Is.EqualTo(1));
    }

    [Test]
    public async Task Readers_accept_both_framings_whatever_they_write()
    {
        using var client = Client();
        var withRegistry = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, client);
        var singleObject = await new AvroSerde<InteractionEvent>(SchemaCatalog.Default).SerializeAsync(Samples.CartUpdatedOnWeb(), "t");

        var decoded = await withRegistry.DeserializeAsync(singleObject);

        Assert.That(decoded.payload, Is.InstanceOf<CartUpdated>());
    }

    [Test]
    public async Task A_writer_that_may_not_register_finds_its_schema_only_once_registered()
    {
        using var client = Client();
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, client, autoRegister: false);

        var refused = await Assert.CatchAsync(async () => await serde.SerializeAsync(Samples.CartUpdatedOnWeb(), "omni.interactions.web"));
        var id = await client.RegisterSchemaAsync("omni.interactions.web-value", new Schema(InteractionEvent._SCHEMA.ToString(), SchemaType.Avro));
        var bytes = await serde.SerializeAsync(Samples.CartUpdatedOnWeb(), "omni.interactions.web");

        Assert.That(refused, Is.InstanceOf<SchemaRegistryException>(), refused?.ToString());
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)), Is.EqualTo(id));
    }

    [Test]
    public async Task An_id_unknown_to_the_registry_is_a_decode_error_naming_the_id()
    {
        using var client = Client();
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, client);

        var error = await Assert.ThrowsAsync<AvroDecodeException>(async () => await serde.DeserializeAsync(new byte[] { 0, 0, 0, 3, 231, 2 }));

        Assert.That(error!.Failure, Is.EqualTo(DecodeFailure.UnknownSchemaId));
        Assert.That(error.Message, Does.Contain("999").And.Contain("40403"));
    }

    [Test]
    public async Task An_unreachable_registry_is_a_transient_decode_error()
    {
        using var client = new SchemaRegistryOptions { Url = new Uri("http://127.0.0.1:9") }.CreateClient();
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, client);

        var error = await Assert.ThrowsAsync<AvroDecodeException>(async () => await serde.DeserializeAsync(new byte[] { 0, 0, 0, 0, 1, 2 }));

        Assert.That(error!.Failure, Is.EqualTo(DecodeFailure.RegistryUnavailable));
        Assert.That(error.IsTransient, Is.True);
    }

    [Test]
    public async Task Basic_authentication_reaches_the_registry()
    {
        using var guarded = new TestSchemaRegistry { Credentials = "omnistream:registry-secret" };
        using var withCredentials = new SchemaRegistryOptions { Url = guarded.Url, Username = "omnistream", Password = "registry-secret" }.CreateClient();
        using var without = new SchemaRegistryOptions { Url = guarded.Url }.CreateClient();

        var bytes = await new AvroSerde<InteractionEvent>(SchemaCatalog.Default, withCredentials).SerializeAsync(Samples.CartUpdatedOnWeb(), "omni.interactions.web");
        var refused = await Assert.CatchAsync(async () => await new AvroSerde<InteractionEvent>(SchemaCatalog.Default, without).SerializeAsync(Samples.CartUpdatedOnWeb(), "omni.interactions.web"));

        Assert.That(bytes[0], Is.EqualTo(0x00));
        Assert.That(refused!.Message, Does.Contain("Unauthorized"));
    }

    [Test]
    public void Settings_that_do_not_hold_together_are_named()
    {
        Assert.That(new SchemaRegistryOptions { Url = new Uri("ftp://registry") }.Problem(), Is.EqualTo("OmniStream:SchemaRegistry:Url must be an http(s) URL"));
        Assert.That(new SchemaRegistryOptions { Url = _registry.Url, Username = "u" }.Problem(), Is.EqualTo("OmniStream:SchemaRegistry:Password is required with OmniStream:SchemaRegistry:Username"));
        Assert.That(new SchemaRegistryOptions { Url = _registry.Url }.Problem(), Is.Null);
    }

    private CachedSchemaRegistryClient Client() => new SchemaRegistryOptions { Url = _registry.Url }.CreateClient();
}
