using System.Buffers.Binary;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Registry;
using OmniStream.Schemas.Wire;

namespace OmniStream.Schemas.Tests.Registry;

public sealed class SchemaRegistryClientTests
{
    private FakeSchemaRegistry _registry = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void StartRegistry()
    {
        _registry = new FakeSchemaRegistry();
        _http = new HttpClient { BaseAddress = _registry.Url };
    }

    [TearDown]
    public void StopRegistry()
    {
        _http.Dispose();
        _registry.Dispose();
    }

    [Test]
    public async Task With_a_registry_messages_use_Confluent_framing_with_the_registered_id()
    {
        var client = new SchemaRegistryClient(_http);
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, client);

        var bytes = await serde.SerializeAsync(Samples.CartUpdatedOnWeb(), "omni.interactions.web");

        var registered = await client.LookUpAsync("omni.interactions.web-value", InteractionEvent._SCHEMA);
        Assert.That(registered, Is.Not.Null);
        Assert.That(bytes[0], Is.EqualTo(0x00));
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)), Is.EqualTo(registered!.Id));
        Assert.That(registered.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task A_reader_with_a_cold_cache_fetches_the_writer_schema_by_id_once()
    {
        var bytes = await new AvroSerde<InteractionEvent>(SchemaCatalog.Default, new SchemaRegistryClient(_http))
            .SerializeAsync(Samples.CartUpdatedOnWeb(), "omni.interactions.web");
        var reader = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, new SchemaRegistryClient(_http));
        var before = _registry.Requests;

        var first = await reader.DeserializeAsync(bytes);
        await reader.DeserializeAsync(bytes);

        Assert.That(first.channel, Is.EqualTo(Channel.WEB));
        Assert.That(_registry.Requests - before, Is.EqualTo(1));
    }

    [Test]
    public async Task Readers_accept_both_framings_whatever_they_write()
    {
        var withRegistry = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, new SchemaRegistryClient(_http));
        var singleObject = await new AvroSerde<InteractionEvent>(SchemaCatalog.Default).SerializeAsync(Samples.CartUpdatedOnWeb(), "t");

        var decoded = await withRegistry.DeserializeAsync(singleObject);

        Assert.That(decoded.payload, Is.InstanceOf<CartUpdated>());
    }

    [Test]
    public async Task An_id_unknown_to_the_registry_is_a_decode_error_naming_the_id()
    {
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, new SchemaRegistryClient(_http));

        var error = await Assert.ThrowsAsync<AvroDecodeException>(async () => await serde.DeserializeAsync(new byte[] { 0, 0, 0, 3, 231, 2 }));

        Assert.That(error!.Failure, Is.EqualTo(DecodeFailure.UnknownSchemaId));
        Assert.That(error.Message, Does.Contain("999").And.Contain("40403"));
    }

    [Test]
    public async Task Looking_up_an_unregistered_subject_answers_null()
    {
        Assert.That(await new SchemaRegistryClient(_http).LookUpAsync("nobody-value", InteractionEvent._SCHEMA), Is.Null);
    }

    [Test]
    public async Task An_unreachable_registry_is_a_transient_decode_error()
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/"), Timeout = TimeSpan.FromSeconds(2) };
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default, new SchemaRegistryClient(http));

        var error = await Assert.ThrowsAsync<AvroDecodeException>(async () => await serde.DeserializeAsync(new byte[] { 0, 0, 0, 0, 1, 2 }));

        Assert.That(error!.Failure, Is.EqualTo(DecodeFailure.RegistryUnavailable));
        Assert.That(error.IsTransient, Is.True);
    }
}
