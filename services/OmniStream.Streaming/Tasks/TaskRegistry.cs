using System.Collections.Concurrent;
using Confluent.Kafka;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Telemetry;
using Polly;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// The tasks an engine owns, one per input partition: opened on assignment, each store restored
/// from its changelog before the task runs, and closed on revocation.
/// </summary>
internal sealed class TaskRegistry(
    StreamOptions options,
    IReadOnlyList<string> storeNames,
    string positionsStore,
    StreamingMetrics metrics,
    IStageSink sink,
    Action<TopicPartitionOffset, Message<byte[], byte[]>, Exception> setAside,
    ResiliencePipeline retry,
    IReadOnlyCollection<string> upstreamStages,
    Func<Exception, bool> isTransient,
    StateCleaner cleaner)
{
    private readonly Dictionary<TopicPartition, StreamTask> _tasks = [];
    // The same tasks, for store queries from other threads.
    private readonly ConcurrentDictionary<TopicPartition, StreamTask> _queryable = new();

    public IReadOnlyCollection<StreamTask> All => _tasks.Values;

    public int Count => _tasks.Count;

    public IReadOnlyCollection<TopicPartition> Partitions => _tasks.Keys;

    /// <summary>From any thread: the committed value of <paramref name="key"/> in the shard of <paramref name="partition"/>, when this registry owns it.</summary>
    public bool TryRead(TopicPartition partition, string store, byte[] key, out byte[]? value)
    {
        value = null;
        return _queryable.TryGetValue(partition, out var task) && task.TryReadCommitted(store, key, out value);
    }

    /// <summary>From any thread: the committed value of <paramref name="key"/> and its parts in the shard of <paramref name="partition"/>, when this registry owns it.</summary>
    public bool TryReadWithParts(TopicPartition partition, string store, byte[] key, out byte[]? value, out List<KeyValuePair<byte[], byte[]>> parts)
    {
        (value, parts) = (null, []);
        return _queryable.TryGetValue(partition, out var task) && task.TryReadCommittedWithParts(store, key, out value, out parts);
    }

    /// <summary>From any thread: every committed entry of <paramref name="store"/> in every shard this registry owns.</summary>
    public IReadOnlyList<(int Partition, byte[] Key, byte[] Value)> ReadAll(string store) =>
        [.. _queryable.Values.SelectMany(task => task.ReadAllCommitted(store).Select(entry => (task.Partition, entry.Key, entry.Value)))];

    /// <summary>From any thread: the partitions this registry owns.</summary>
    public IReadOnlyList<TopicPartition> QueryablePartitions => [.. _queryable.Keys];

    public StreamTask this[TopicPartition partition] => _tasks[partition];

    public bool TryGet(TopicPartition partition, out StreamTask? task) => _tasks.TryGetValue(partition, out task);

    /// <summary>
    /// Opens the task of <paramref name="input"/>, its stores restored in its directory (which the cleaner then leaves
    /// alone) by <paramref name="restores"/>.
    /// </summary>
    public StreamTask Open(TopicPartition input, RestoreSession restores)
    {
        var stores = new Dictionary<string, LoggedStore>();
        var taskDirectory = cleaner.TaskDirectory(input.Topic, input.Partition.Value);
        cleaner.Opening(taskDirectory);
        try
        {
            foreach (var name in storeNames)
            {
                var changelog = new TopicPartition(ChangelogTopics.For(options.ApplicationId, name), input.Partition);
                var directory = Path.Combine(taskDirectory, name);
                var shard = ShardName(name, input);
                var (store, restored) = restores.OpenAndRestore(name, directory, changelog,
                    new SynchronousProgress<RestoreProgress>(p => (metrics.RestoreRemaining[shard], metrics.RestoreApplied[shard]) = (p.Remaining, p.Applied)));
                metrics.RestoreRemaining.TryRemove(shard, out _);
                metrics.RestoreApplied.TryRemove(shard, out _);
                metrics.RestoredRecords.Add(restored.Records, new KeyValuePair<string, object?>("store", name));
                metrics.StoreKeys[shard] = () => store.EstimatedKeys;
                stores[name] = new LoggedStore(store, changelog, sink);
            }
        }
        catch
        {
            // The stores opened before the one that failed are not left open, holding their locks, for the next assignment.
            foreach (var (name, opened) in stores)
            {
                metrics.StoreKeys.TryRemove(ShardName(name, input), out _);
                opened.Inner.Dispose();
            }
            throw;
        }
        var task = new StreamTask(input, stores, positionsStore, sink, setAside, retry, upstreamStages, isTransient);
        _tasks[input] = task;
        _queryable[input] = task;
        return task;
    }

    /// <summary>Closes the task of <paramref name="input"/>, if open.</summary>
    public bool Close(TopicPartition input)
    {
        if (!_tasks.Remove(input, out var task))
        {
            return false;
        }
        _queryable.TryRemove(input, out _);
        foreach (var name in storeNames)
        {
            metrics.StoreKeys.TryRemove(ShardName(name, input), out _);
        }
        task.Dispose();
        cleaner.Closed(cleaner.TaskDirectory(input.Topic, input.Partition.Value), DateTime.UtcNow);
        return true;
    }

    public void CloseAll()
    {
        foreach (var partition in _tasks.Keys.ToList())
        {
            Close(partition);
        }
    }

    private static string ShardName(string store, TopicPartition input) => $"{store}/{input.Topic}-{input.Partition.Value}";
}
