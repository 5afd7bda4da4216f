using System.Collections.Concurrent;
using Avro;
using Avro.IO;
using Avro.Specific;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Registry;

namespace OmniStream.Schemas.Wire;

/// <summary>
/// Encodes and decodes one contract type. Writes single-object encoding, or Confluent framing
/// when a registry is given; reads both, resolving the writer's schema to the current one.
/// </summary>
/// <typeparam name="T">A generated contract type, e.g. <c>InteractionEvent</c>.</typeparam>
public sealed class AvroSerde<T> where T : ISpecificRecord, new()
{
    private static readonly Schema ReaderSchema = new T().Schema;
    private readonly SchemaCatalog _catalog;
    private readonly ISchemaRegistry? _registry;
    private readonly SpecificDatumWriter<T> _writer = new(ReaderSchema);
    private readonly long _fingerprint = SchemaCatalog.Fingerprint(ReaderSchema);
    // Catalog and registry hand out one instance per schema; Schema's own hash walks every field.
    private readonly ConcurrentDictionary<Schema, SpecificDatumReader<T>> _readers = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates a serde over a catalog and, optionally, a Schema Registry.</summary>
    public AvroSerde(SchemaCatalog catalog, ISchemaRegistry? registry = null)
    {
        _catalog = catalog;
        _registry = registry;
    }

    /// <summary>Encodes a value for a topic (the topic names the registry subject, topic + "-value").</summary>
    public async ValueTask<byte[]> SerializeAsync(T value, string topic, CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream(256);
        if (_registry is null)
        {
            WireHeader.WriteSingleObject(output, _fingerprint);
        }
        else
        {
            var id = await _registry.RegisterAsync(topic + "-value", ReaderSchema, cancellationToken).ConfigureAwait(false);
            WireHeader.WriteConfluent(output, id);
        }
        try
        {
            _writer.Write(value, new BinaryEncoder(output));
        }
        catch (Exception e) when (e is AvroException or ArgumentException or InvalidCastException or NullReferenceException)
        {
            throw new ArgumentException($"{typeof(T).Name} cannot be encoded: {e.Message}", nameof(value), e);
        }
        return output.ToArray();
    }

    /// <summary>Decodes a message; throws <see cref="AvroDecodeException"/> naming why when it cannot.</summary>
    public async ValueTask<T> DeserializeAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        var header = WireHeader.Read(message.Span);
        var writerSchema = header.Format == WireFormat.SingleObject
            ? FindInCatalog(header.Fingerprint)
            : await FindInRegistryAsync(header.SchemaId, cancellationToken).ConfigureAwait(false);
        return DecodeBody(writerSchema, message[header.Length..]);
    }

    private Schema FindInCatalog(long fingerprint) =>
        _catalog.TryGet(fingerprint, out var schema)
            ? schema
            : throw new AvroDecodeException(DecodeFailure.UnknownFingerprint,
                $"no schema in the catalog has fingerprint 0x{fingerprint:X16} (expected {typeof(T).Name})");

    private async ValueTask<Schema> FindInRegistryAsync(int schemaId, CancellationToken cancellationToken)
    {
        if (_registry is null)
        {
            throw new AvroDecodeException(DecodeFailure.UnknownSchemaId,
                $"message names registry schema id {schemaId} but no Schema Registry is configured");
        }
        try
        {
            return await _registry.GetSchemaAsync(schemaId, cancellationToken).ConfigureAwait(false);
        }
        catch (SchemaRegistryException e)
        {
            throw new AvroDecodeException(DecodeFailure.UnknownSchemaId, $"schema id {schemaId}: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new AvroDecodeException(DecodeFailure.RegistryUnavailable, $"schema id {schemaId}: {e.Message}", e);
        }
    }

    private T DecodeBody(Schema writerSchema, ReadOnlyMemory<byte> body)
    {
        if (writerSchema.Fullname != ReaderSchema.Fullname)
        {
            throw new AvroDecodeException(DecodeFailure.IncompatibleSchema,
                $"message was written as {writerSchema.Fullname}, expected {ReaderSchema.Fullname}");
        }
        SpecificDatumReader<T> reader;
        try
        {
            reader = _readers.GetOrAdd(writerSchema, static w => new SpecificDatumReader<T>(w, ReaderSchema));
        }
        catch (AvroException e)
        {
            throw new AvroDecodeException(DecodeFailure.IncompatibleSchema,
                $"writer schema {writerSchema.Fullname} cannot be read as {ReaderSchema.Fullname}: {e.Message}", e);
        }

        // Consumed records hand over arrays: read the body in place rather than copying it.
        using var input = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false, publiclyVisible: true)
            : new MemoryStream(body.ToArray(), 0, body.Length, writable: false, publiclyVisible: true);
        T value;
        try
        {
            value = reader.Read(default!, new BoundedDecoder(input));
        }
        catch (Exception e) when (e is AvroException or EndOfStreamException or InvalidCastException
                                      or OverflowException or ArgumentException or IndexOutOfRangeException or FormatException)
        {
            throw new AvroDecodeException(DecodeFailure.MalformedBody,
                $"{typeof(T).Name} body of {body.Length} bytes does not decode: {e.GetType().Name}: {e.Message}", e);
        }
        if (input.Position != input.Length)
        {
            throw new AvroDecodeException(DecodeFailure.MalformedBody,
                $"{input.Length - input.Position} bytes left over after a {typeof(T).Name} of {input.Position} bytes");
        }
        return value;
    }
}
