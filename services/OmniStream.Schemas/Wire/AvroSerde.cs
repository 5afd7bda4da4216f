using System.Buffers;
using System.Collections.Concurrent;
using Avro;
using Schema = Avro.Schema;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using OmniStream.Schemas.Catalog;

namespace OmniStream.Schemas.Wire;

/// <summary>
/// Encodes and decodes one contract type. Writes single-object encoding, with the type's generated
/// writer (<see cref="IAvroBinary{T}"/>) into a buffer the thread reuses, or, given a Schema Registry
/// (Confluent's client), Confluent framing with Confluent's Avro serializer (subject: the topic's name
/// + <c>-value</c>); reads both. A message written with the current schema (its fingerprint, or the
/// registry schema's, is the current one's) is read by the type's generated reader, in place; any
/// other is resolved to the current schema by Apache.Avro's reader, when it is a released version of
/// the contract (in the catalog: a registry's other schemas are refused). Reading stays OmniStream's own:
/// records come from untrusted channels, and both readers bound what a record's lengths can make them allocate.
/// </summary>
/// <typeparam name="T">A generated contract type, e.g. <c>InteractionEvent</c>.</typeparam>
public sealed class AvroSerde<T> where T : ISpecificRecord, IAvroBinary<T>, new()
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private static readonly Schema ReaderSchema = new T().Schema;
    private readonly SchemaCatalog _catalog;
    private readonly ISchemaRegistryClient? _registry;
    private readonly AvroSerializer<T>? _confluent;
    private readonly ConcurrentDictionary<int, Schema> _registered = new();
    private readonly ConcurrentDictionary<int, bool> _registeredCurrent = new();
    private readonly long _fingerprint = SchemaCatalog.Fingerprint(ReaderSchema);
    // Catalog and registry hand out one instance per schema; Schema's own hash walks every field.
    private readonly ConcurrentDictionary<Schema, SpecificDatumReader<T>> _readers = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Creates a serde over a catalog and, optionally, a Schema Registry; <paramref name="autoRegister"/>
    /// says whether a writer registers its schema when the subject lacks it, or only looks it up.
    /// </summary>
    public AvroSerde(SchemaCatalog catalog, ISchemaRegistryClient? registry = null, bool autoRegister = true)
    {
        _catalog = catalog;
        _registry = registry;
        _confluent = registry is null ? null : new AvroSerializer<T>(registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = autoRegister,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        });
    }

    /// <summary>Encodes a value for a topic (the topic names the registry subject, topic + "-value").</summary>
    /// <exception cref="ArgumentException">The value cannot be encoded.</exception>
    /// <exception cref="SchemaRegistryException">The registry refused the schema, or lacks it and may not register it.</exception>
    /// <exception cref="RegistryUnavailableException">The registry did not answer.</exception>
    public async ValueTask<byte[]> SerializeAsync(T value, string topic, CancellationToken cancellationToken = default)
    {
        if (_confluent is not null)
        {
            try
            {
                return await _confluent.SerializeAsync(value, new SerializationContext(MessageComponentType.Value, topic)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AvroException or InvalidCastException or NullReferenceException)
            {
                throw new ArgumentException($"{typeof(T).Name} cannot be encoded: {e.Message}", nameof(value), e);
            }
            // A SchemaRegistryException is an HttpRequestException too: its answer decides.
            catch (Exception e) when (e is SchemaRegistryException registry ? !IsRefusal(registry) : e is HttpRequestException or TaskCanceledException)
            {
                throw new RegistryUnavailableException($"{typeof(T).Name} for {topic}: the Schema Registry did not answer: {e.Message}", e);
            }
        }
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        WireHeader.WriteSingleObject(buffer.GetSpan(WireHeader.SingleObjectLength), _fingerprint);
        buffer.Advance(WireHeader.SingleObjectLength);
        try
        {
            var writer = new AvroWriter(buffer);
            value.WriteAvro(ref writer);
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or NullReferenceException)
        {
            throw new ArgumentException($"{typeof(T).Name} cannot be encoded: {e.Message}", nameof(value), e);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Encodes a value for a topic where the caller cannot wait (a commit): without a Schema Registry it
    /// never waits; with one, only the first value of a subject waits for its schema's id (kept after).
    /// </summary>
    /// <exception cref="ArgumentException">The value cannot be encoded.</exception>
    /// <exception cref="SchemaRegistryException">The registry refused the schema, or lacks it and may not register it.</exception>
    /// <exception cref="RegistryUnavailableException">The registry did not answer.</exception>
    public byte[] Serialize(T value, string topic)
    {
        var encoded = SerializeAsync(value, topic);
        return encoded.IsCompletedSuccessfully ? encoded.Result : encoded.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Decodes a message; throws <see cref="AvroDecodeException"/> naming why when it cannot.</summary>
    public ValueTask<T> DeserializeAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        DeserializeIntoAsync(message, default, cancellationToken);

    /// <summary>
    /// Decodes a message into <paramref name="reuse"/> when it was written with the current schema (every field set, its
    /// records and lists read into again), else into a new value; the caller must hold nothing of
    /// <paramref name="reuse"/> from before. Throws <see cref="AvroDecodeException"/> naming why when it cannot.
    /// </summary>
    public ValueTask<T> DeserializeIntoAsync(ReadOnlyMemory<byte> message, T? reuse, CancellationToken cancellationToken = default) =>
        DeserializeIntoAsync(message, reuse, 0, cancellationToken);

    /// <summary>
    /// Decodes a message as <see cref="DeserializeIntoAsync(ReadOnlyMemory{byte}, T, CancellationToken)"/> does; when it was
    /// written with the current schema, the fields whose bits (the type's generated <c>AvroFields</c>) are in
    /// <paramref name="skipped"/> are read past and left at their defaults, for a caller that never looks at them.
    /// </summary>
    public async ValueTask<T> DeserializeIntoAsync(ReadOnlyMemory<byte> message, T? reuse, ulong skipped, CancellationToken cancellationToken = default)
    {
        var header = WireHeader.Read(message.Span);
        if (header.Format == WireFormat.SingleObject)
        {
            return header.Fingerprint == _fingerprint
                ? DecodeCurrent(message[header.Length..].Span, reuse, skipped)
                : DecodeBody(FindInCatalog(header.Fingerprint), message[header.Length..]);
        }
        var writerSchema = await FindInRegistryAsync(header.SchemaId, cancellationToken).ConfigureAwait(false);
        return _registeredCurrent.GetOrAdd(header.SchemaId, static (_, state) => SchemaCatalog.Fingerprint(state.writerSchema) == state._fingerprint, (writerSchema, _fingerprint))
            ? DecodeCurrent(message[header.Length..].Span, reuse, skipped)
            : DecodeBody(writerSchema, message[header.Length..]);
    }

    /// <summary>
    /// Where the body of <paramref name="message"/> starts when it was written with the current schema,
    /// so that a reader of its own may read it in place (<see cref="AvroBody.Read{TResult}(ReadOnlySpan{byte}, string, AvroRead{TResult})"/>); null when it was
    /// written with another schema (decode it with <see cref="DeserializeAsync"/>, which resolves it).
    /// </summary>
    /// <exception cref="AvroDecodeException">The message has no valid header, or names a registry schema that cannot be had.</exception>
    public async ValueTask<int?> CurrentBodyAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        var header = WireHeader.Read(message.Span);
        if (header.Format == WireFormat.SingleObject)
        {
            return header.Fingerprint == _fingerprint ? header.Length : null;
        }
        if (!_registeredCurrent.TryGetValue(header.SchemaId, out var current))
        {
            var writerSchema = await FindInRegistryAsync(header.SchemaId, cancellationToken).ConfigureAwait(false);
            current = _registeredCurrent.GetOrAdd(header.SchemaId, SchemaCatalog.Fingerprint(writerSchema) == _fingerprint);
        }
        return current ? header.Length : null;
    }

    // Written with the current schema: the generated reader, in place.
    private static T DecodeCurrent(ReadOnlySpan<byte> body, T? reuse, ulong skipped) =>
        AvroBody.Read(body, typeof(T).Name, (reuse, skipped), static (ref AvroReader reader, (T? Reuse, ulong Skipped) into) => T.ReadAvro(ref reader, into.Reuse, into.Skipped));

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
        if (_registered.TryGetValue(schemaId, out var known))
        {
            return known;
        }
        Confluent.SchemaRegistry.Schema registered;
        try
        {
            registered = await _registry.GetSchemaAsync(schemaId).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SchemaRegistryException e) when (IsRefusal(e))
        {
            throw new AvroDecodeException(DecodeFailure.UnknownSchemaId, $"schema id {schemaId}: {e.Message} ({e.ErrorCode})", e);
        }
        catch (Exception e) when (e is SchemaRegistryException or HttpRequestException or TaskCanceledException)
        {
            throw new AvroDecodeException(DecodeFailure.RegistryUnavailable, $"schema id {schemaId}: {e.Message}", e);
        }
        if (registered.SchemaType != SchemaType.Avro)
        {
            throw new AvroDecodeException(DecodeFailure.IncompatibleSchema, $"schema id {schemaId} is a {registered.SchemaType} schema, not Avro");
        }
        Schema schema;
        try
        {
            schema = Schema.Parse(registered.SchemaString);
        }
        catch (SchemaParseException e)
        {
            throw new AvroDecodeException(DecodeFailure.IncompatibleSchema, $"schema id {schemaId} does not parse: {e.Message}", e);
        }
        // A registry takes any schema from whoever may write to it: only the contracts' released versions, whose reading is
        // known to cost what a record weighs, are read.
        if (!_catalog.TryGet(SchemaCatalog.Fingerprint(schema), out _))
        {
            throw new AvroDecodeException(DecodeFailure.IncompatibleSchema,
                $"schema id {schemaId} ({schema.Fullname}) is not a released version of a contract (fingerprint 0x{SchemaCatalog.Fingerprint(schema):X16})");
        }
        return _registered.GetOrAdd(schemaId, schema);
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

    // A 4xx answer refuses (no such subject, schema or id); anything else is the registry not answering. The error code
    // (40401, 50301, ...) says the status when the client did not set it.
    private static bool IsRefusal(SchemaRegistryException e) => (e.ErrorCode >= 10_000 ? e.ErrorCode / 100 : (int)e.Status) is >= 400 and < 500;
}
