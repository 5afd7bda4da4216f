using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniStream.Customers.State;

/// <summary>
/// A customer's state as stored in the worker's store and changelog, and as the query API shows
/// it: UTF-8 JSON with a format version, readable by people and tolerant of added fields.
/// Dictionaries are sorted, so equal states encode to equal bytes.
/// </summary>
public static class CustomerStateCodec
{
    private const int Version = 1;

    /// <summary>The stored form of <paramref name="state"/>.</summary>
    public static byte[] Encode(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return JsonSerializer.SerializeToUtf8Bytes(new StoredCustomer(Version, state), CustomerJson.Default.StoredCustomer);
    }

    /// <summary>The state stored in <paramref name="bytes"/>.</summary>
    /// <exception cref="JsonException">The bytes are not a stored customer state of this version.</exception>
    public static CustomerState Decode(ReadOnlySpan<byte> bytes)
    {
        var stored = JsonSerializer.Deserialize(bytes, CustomerJson.Default.StoredCustomer)
            ?? throw new JsonException("a stored customer is null");
        if (stored.V != Version || stored.State?.CustomerId is null)
        {
            throw new JsonException($"not a stored customer of version {Version} (version {stored.V}, customer {stored.State?.CustomerId ?? "missing"})");
        }
        return stored.State;
    }
}

internal sealed record StoredCustomer(int V, CustomerState State);

// Nulls are left out: a customer keeps up to 50 actions, most without outcome, variant or conversion yet.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredCustomer))]
internal sealed partial class CustomerJson : JsonSerializerContext;
