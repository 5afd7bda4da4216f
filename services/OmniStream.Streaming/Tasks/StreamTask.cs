using Confluent.Kafka;
using OmniStream.Streaming.State;

namespace OmniStream.Streaming.Tasks;

/// <summary>One input partition and its shard of every store.</summary>
internal sealed class StreamTask(TopicPartition input, IReadOnlyDictionary<string, LoggedStore> stores, TransactionalSink sink) : ITaskContext, IDisposable
{
    private long? _consumedUpTo;

    public TopicPartition Input => input;

    public int Partition => input.Partition.Value;

    public IKeyValueStore Store(string name) =>
        stores.TryGetValue(name, out var store) ? store : throw new ArgumentException($"task {input} has no store '{name}'", nameof(name));

    public void Send(string topic, byte[] key, byte[] value, Headers? headers = null) => sink.Send(topic, key, value, headers);

    public void Send(string topic, Message<byte[], byte[]?> message) => sink.Send(topic, message);

    /// <summary>Records processed since the last commit.</summary>
    public int Uncommitted { get; private set; }

    /// <summary>Notes that the record at <paramref name="offset"/> was processed in the open transaction.</summary>
    public void Consumed(long offset)
    {
        _consumedUpTo = offset + 1;
        Uncommitted++;
    }

    /// <summary>Writes the next input offset to the positions store, in the open transaction, if records were processed.</summary>
    public void RecordPosition(string positionsStore, byte[] key)
    {
        if (_consumedUpTo is { } next)
        {
            stores[positionsStore].Put(key, BitConverter.GetBytes(next));
        }
    }

    /// <summary>The next input offset as of the last committed transaction, if one was recorded.</summary>
    public long? StoredPosition(string positionsStore, byte[] key) =>
        stores[positionsStore].Find(key) is { } bytes ? BitConverter.ToInt64(bytes) : null;

    /// <summary>After the transaction committed: apply pending writes, checkpointing after what reached each changelog.</summary>
    public void CommitStores()
    {
        foreach (var store in stores.Values)
        {
            if (store.Inner.PendingWrites > 0)
            {
                var next = sink.NextOffset(store.Changelog)
                    ?? throw new InvalidOperationException($"store {store.Name} of task {input} has writes but nothing reached its changelog");
                store.Inner.Commit(next);
            }
        }
        _consumedUpTo = null;
        Uncommitted = 0;
    }

    /// <summary>After the transaction aborted: drop pending writes.</summary>
    public void AbortStores()
    {
        foreach (var store in stores.Values)
        {
            store.Inner.Abort();
        }
        _consumedUpTo = null;
        Uncommitted = 0;
    }

    public void Dispose()
    {
        foreach (var store in stores.Values)
        {
            store.Inner.Dispose();
        }
    }
}
