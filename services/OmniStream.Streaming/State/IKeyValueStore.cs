namespace OmniStream.Streaming.State;

/// <summary>
/// A task's key-value store. Writes are pending until the task's transaction commits; reads see
/// them at once.
/// </summary>
public interface IKeyValueStore
{
    /// <summary>The store's name (its changelog is <c>&lt;app&gt;-&lt;name&gt;-changelog</c>).</summary>
    string Name { get; }

    /// <summary>The value of a key, or null.</summary>
    byte[]? Find(byte[] key);

    /// <summary>Sets a key's value.</summary>
    void Put(byte[] key, byte[] value);

    /// <summary>Removes a key.</summary>
    void Delete(byte[] key);

    /// <summary>The entries with <paramref name="fromInclusive"/> ≤ key &lt; <paramref name="toExclusive"/>, in key order, pending writes included.</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] fromInclusive, byte[] toExclusive);
}
