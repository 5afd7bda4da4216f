using System.Text.Json;
using System.Text.Json.Serialization;
using MemoryPack;

namespace OmniStream.Customers.State;

/// <summary>
/// A customer's state as stored in the worker's store and changelog and as it travels between
/// stages: one format byte (<see cref="Binary"/>), then the state in MemoryPack's binary layout (strings in UTF-8), where
/// the members of each record are written in declaration order, so a member added at the end of a
/// record reads as its default from states stored before it. States stored as UTF-8 JSON (format 1,
/// before version 2 of OmniStream's state) are still read. Dictionaries and sets are sorted, so equal
/// states encode to equal bytes. <see cref="ToJson"/> gives the state for people to read.
/// </summary>
public static class CustomerStateCodec
{
    /// <summary>The first byte of the binary format. A stored JSON state starts with <c>{</c>.</summary>
    public const byte Binary = 2;

    private const int JsonVersion = 1;

    /// <summary>The stored form of <paramref name="state"/>.</summary>
    public static byte[] Encode(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var writer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        writer.GetSpan(1)[0] = Binary;
        writer.Advance(1);
        MemoryPackSerializer.Serialize(writer, state, MemoryPackSerializerOptions.Utf8);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The state stored in <paramref name="bytes"/>, in either format.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a stored customer state.</exception>
    public static CustomerState Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new InvalidDataException("a stored customer is empty");
        }
        try
        {
            var state = bytes[0] switch
            {
                Binary => MemoryPackSerializer.Deserialize<CustomerState>(bytes[1..]),
                (byte)'{' => FromJson(bytes),
                var other => throw new InvalidDataException($"a stored customer starts with byte {other}, not a known format ({Binary}, or '{{' for JSON)"),
            };
            return state?.CustomerId is not null
                ? state
                : throw new InvalidDataException("a stored customer has no customer id");
        }
        catch (Exception e) when (e is MemoryPackSerializationException or JsonException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"not a stored customer state: {e.Message}", e);
        }
    }

    /// <summary><paramref name="state"/> as JSON (format 1's layout), for people and diagnostics.</summary>
    public static byte[] ToJson(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return JsonSerializer.SerializeToUtf8Bytes(new StoredCustomer(JsonVersion, state), CustomerJson.Default.StoredCustomer);
    }

    private static CustomerState? FromJson(ReadOnlySpan<byte> bytes)
    {
        var stored = JsonSerializer.Deserialize(bytes, CustomerJson.Default.StoredCustomer)
            ?? throw new InvalidDataException("a stored customer is null");
        return stored.V == JsonVersion
            ? stored.State
            : throw new InvalidDataException($"not a stored customer of version {JsonVersion} (version {stored.V})");
    }
}

internal sealed record StoredCustomer(int V, CustomerState State);

// Nulls are left out: a customer keeps up to 50 actions, most without outcome, variant or conversion yet.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredCustomer))]
internal sealed partial class CustomerJson : JsonSerializerContext;
