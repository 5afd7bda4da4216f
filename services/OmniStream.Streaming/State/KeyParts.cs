namespace OmniStream.Streaming.State;

/// <summary>
/// Entries stored apart from a key's main value, in the same store (so one commit writes them
/// together and the changelog restores them together): a part's key is the key, the byte
/// <see cref="Separator"/> and the part's own suffix. UTF-8 never contains 0xFF, so for keys that
/// are UTF-8 text no other key starts with a key's <see cref="Prefix"/>: a key's parts are found by
/// one range read, and never mistaken for another key or another key's parts.
/// </summary>
public static class KeyParts
{
    /// <summary>The byte between a key and its parts' suffixes.</summary>
    public const byte Separator = 0xFF;

    /// <summary>What every part key of <paramref name="key"/> starts with.</summary>
    /// <exception cref="ArgumentException">The key is empty or holds the separator (it is not UTF-8 text).</exception>
    public static byte[] Prefix(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || Array.IndexOf(key, Separator) >= 0)
        {
            throw new ArgumentException("a key with parts must be non-empty UTF-8 text (no byte 0xFF)", nameof(key));
        }
        return [.. key, Separator];
    }

    /// <summary>The key of the part <paramref name="suffix"/> of <paramref name="key"/>.</summary>
    public static byte[] Of(byte[] key, ReadOnlySpan<byte> suffix) => [.. Prefix(key), .. suffix];

    /// <summary>The smallest key above every part key of <paramref name="key"/>: the key with its last byte increased (that byte is below 0xFF).</summary>
    public static byte[] End(byte[] key)
    {
        var end = Prefix(key)[..^1];
        end[^1]++;
        return end;
    }

    /// <summary>The suffix of <paramref name="partKey"/>, a part key of a key of <paramref name="keyLength"/> bytes.</summary>
    public static ReadOnlySpan<byte> SuffixOf(byte[] partKey, int keyLength) => partKey.AsSpan(keyLength + 1);

    /// <summary>The parts of <paramref name="key"/> in <paramref name="store"/>, in key order, pending writes included.</summary>
    public static IEnumerable<KeyValuePair<byte[], byte[]>> PartsOf(this IKeyValueStore store, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Scan(Prefix(key), End(key));
    }
}
