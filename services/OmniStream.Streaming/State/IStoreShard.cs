namespace OmniStream.Streaming.State;

/// <summary>
/// A task's shard of a store as the engine drives it: reads see pending writes at once; the writes
/// wait until the task's transaction commits (<see cref="Commit"/>, with the changelog offset the
/// shard is then up to) or aborts (<see cref="Abort"/>). <see cref="RocksDbStore"/> is the one
/// the worker runs on; the stage test driver keeps its shards in memory.
/// </summary>
public interface IStoreShard : IKeyValueStore, IDisposable
{
    /// <summary>How many writes wait for the next commit.</summary>
    int PendingWrites { get; }

    /// <summary>The writes waiting for the next commit, the last one per key (null for a delete).</summary>
    IEnumerable<KeyValuePair<byte[], byte[]?>> Pending { get; }

    /// <summary>Applies the pending writes and moves the changelog checkpoint to <paramref name="checkpoint"/>, atomically.</summary>
    void Commit(long checkpoint);

    /// <summary>Drops the pending writes (their transaction aborted).</summary>
    void Abort();

    /// <summary>The committed value of <paramref name="key"/>, ignoring pending writes; safe from any thread while the shard is open.</summary>
    byte[]? FindCommitted(byte[] key);

    /// <summary>The committed value of <paramref name="key"/> and its committed parts (<see cref="KeyParts"/>), read at one point in time; safe from any thread while the shard is open.</summary>
    (byte[]? Value, List<KeyValuePair<byte[], byte[]>> Parts) FindCommittedWithParts(byte[] key);

    /// <summary>Every committed entry, in key order (pending writes left out).</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> ScanCommitted();
}
