using OmniStream.Customers.State;
using OmniStream.Streaming.State;

namespace OmniStream.Worker.Customers;

/// <summary>Customer states read back from the customers store's entries: a core under the customer's key and its parts (<see cref="CustomerLayout"/>).</summary>
public static class StoredCustomers
{
    /// <summary>The state of <paramref name="key"/> from its stored core (null: unknown customer) and parts, every part held whole.</summary>
    /// <exception cref="InvalidDataException">The core or a part cannot be read.</exception>
    public static CustomerState? Read(byte[] key, byte[]? core, IEnumerable<KeyValuePair<byte[], byte[]>> parts)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(parts);
        return core is null ? null : CustomerLayout.Join(core, parts.Select(part => (PartOf(key, part.Key), part.Value)));
    }

    /// <summary>
    /// The customers a log of the customers store holds at its end (its changelog, for instance): each
    /// key's last value, every core joined with its parts; a customer whose core was deleted is absent.
    /// </summary>
    /// <exception cref="InvalidDataException">A core or a part cannot be read.</exception>
    public static Dictionary<string, CustomerState> FromLog(IEnumerable<(byte[] Key, byte[]? Value)> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var latest = new Dictionary<byte[], byte[]?>(ByteArrayComparer.Instance);
        foreach (var (key, value) in records)
        {
            latest[key] = value;
        }
        var parts = latest
            .Where(entry => entry.Value is not null && Array.IndexOf(entry.Key, KeyParts.Separator) > 0)
            .ToLookup(entry => entry.Key[..Array.IndexOf(entry.Key, KeyParts.Separator)], ByteArrayComparer.Instance);
        return latest
            .Where(entry => entry.Value is not null && Array.IndexOf(entry.Key, KeyParts.Separator) < 0)
            .ToDictionary(entry => System.Text.Encoding.UTF8.GetString(entry.Key),
                entry => Read(entry.Key, entry.Value, parts[entry.Key].Select(part => KeyValuePair.Create(part.Key, part.Value!)))!);
    }

    /// <summary>The part named by <paramref name="partKey"/>, a part key of <paramref name="key"/>.</summary>
    /// <exception cref="InvalidDataException">The key names no timeline line or action.</exception>
    public static CustomerPart PartOf(byte[] key, byte[] partKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CustomerPart.TryRead(KeyParts.SuffixOf(partKey, key.Length), out var part)
            ? part
            : throw new InvalidDataException("a stored part of a customer names no timeline line or action");
    }
}
