using System.Runtime.InteropServices;
using Confluent.Kafka;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Kafka.Operations.Resilience;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using Polly;

namespace OmniStream.Streaming.TestDriver;

/// <summary>
/// One stage in the driver, as one engine instance owning every partition: a task per input
/// partition with its stores (restored from their changelogs when opened), its consumer positions,
/// and its open transaction.
/// </summary>
internal sealed class DriverStage : IDisposable
{
    private readonly DriverTopics _topics;
    private readonly StageTestDriverOptions _options;
    private readonly TimeProvider _clock;
    private readonly TransactionBuffer _transaction;
    private readonly ResiliencePipeline _retry;
    private readonly Action<TopicPartitionOffset, Message<byte[], byte[]>, Exception> _setAside;
    private readonly SortedDictionary<(string Topic, int Partition), StreamTask> _tasks = [];
    // The tasks in the order of _tasks, as an array: walked for every record, where a sorted dictionary's enumerator allocates.
    private StreamTask[] _ordered = [];
    private readonly Dictionary<StreamTask, long> _positions = [];
    // Each task's position as its store holds it, read once per commit, abort or open (the driver trims logs by them after every commit).
    private readonly Dictionary<StreamTask, long> _stored = [];
    private readonly Dictionary<(string Store, int Partition), IStoreShard> _shards = [];

    public DriverStage(IStreamHandler handler, DriverTopics topics, StageTestDriverOptions options, TimeProvider clock)
    {
        Handler = handler;
        _topics = topics;
        _options = options;
        _clock = clock;
        _transaction = new TransactionBuffer(topics, clock);
        _retry = RetryPipelines.Transient(options.TransientRetries, handler.IsTransient);
        _setAside = SetAside;
        Open();
    }

    public IStreamHandler Handler { get; }

    /// <summary>Records the stage's committed transactions wrote: outputs, changelog records, dead letters.</summary>
    public long RecordsWritten => _transaction.Committed;

    public string PositionsStore => StreamEngine.PositionsStore(Handler.Stage);

    /// <summary>True when an input partition holds records the stage has not read.</summary>
    public bool HasUnread => Unread > 0;

    /// <summary>The committed records of the stage's inputs it has not read yet.</summary>
    public long Unread
    {
        get
        {
            var unread = 0L;
            foreach (var task in _ordered)
            {
                unread += _topics.Log(task.Input.Topic).EndOffset(task.Partition) - _positions[task];
            }
            return unread;
        }
    }

    /// <summary>Reads and handles up to <paramref name="max"/> committed input records, one per partition in turn (as a consumer interleaves fetches); returns how many.</summary>
    public async Task<int> ProcessAsync(int max, CancellationToken cancellationToken)
    {
        var handled = 0;
        for (var progressed = true; progressed && handled < max;)
        {
            progressed = false;
            foreach (var task in _ordered)
            {
                if (handled < max && _positions[task] < _topics.Log(task.Input.Topic).EndOffset(task.Partition))
                {
                    await HandleNextAsync(task, cancellationToken).ConfigureAwait(false);
                    handled++;
                    progressed = true;
                }
            }
        }
        return handled;
    }

    private async Task HandleNextAsync(StreamTask task, CancellationToken cancellationToken)
    {
        var record = _topics.Log(task.Input.Topic).At(task.Partition, _positions[task]);
        var timestamp = new Timestamp(record.Timestamp, TimestampType.CreateTime);
        var consumed = new ConsumeResult<byte[], byte[]>
        {
            Topic = record.Topic,
            Partition = record.Partition,
            Offset = record.Offset,
            Message = new Message<byte[], byte[]> { Key = record.Key!, Value = record.Value!, Headers = record.Headers ?? [], Timestamp = timestamp },
        };
        _transaction.Begin();
        await Handler.HandleOrSetAsideAsync(consumed, task, _retry, _setAside, cancellationToken).ConfigureAwait(false);
        task.Consumed(record.Offset, timestamp);
        _positions[task] = record.Offset + 1;
    }

    /// <summary>Runs every task's timers as of <paramref name="now"/>.</summary>
    public async Task TickAsync(DateTime now, CancellationToken cancellationToken)
    {
        foreach (var task in _ordered)
        {
            await Handler.OnTickAsync(now, task, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Commits as the engine does (what the handler gathered, state changes, positions, then the stores); false when nothing was open.</summary>
    public bool Commit()
    {
        if (!_transaction.InTransaction)
        {
            return false;
        }
        foreach (var task in _ordered)
        {
            Handler.OnCommitting(task);
        }
        foreach (var task in _ordered)
        {
            task.SendStateChanges();
        }
        foreach (var task in _ordered)
        {
            task.SendPosition();
        }
        _transaction.Commit();
        foreach (var task in _ordered)
        {
            task.CommitStores();
            _stored[task] = task.StoredPosition ?? 0;
        }
        _transaction.Reset();
        return true;
    }

    /// <summary>What a killed process loses: the open transaction, pending writes and the handler's memory; the input rewinds to the committed positions.</summary>
    public void Abort()
    {
        _transaction.Reset();
        foreach (var task in _ordered)
        {
            task.AbortStores();
            _positions[task] = _stored[task] = task.StoredPosition ?? 0;
        }
    }

    /// <summary>A restart: the transaction aborted, the tasks closed, and opened again with stores rebuilt from their changelogs.</summary>
    public void Restart()
    {
        Abort();
        CloseTasks();
        Open();
    }

    /// <summary>
    /// Lowers the position of each of the stage's input partitions in <paramref name="lowest"/> to the position the stage
    /// committed, where that is lower or none is there yet (without allocating: this runs at every commit).
    /// </summary>
    public void LowerToCommitted(Dictionary<(string Topic, int Partition), long> lowest)
    {
        ArgumentNullException.ThrowIfNull(lowest);
        foreach (var task in _ordered)
        {
            var position = _stored[task];
            ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(lowest, (task.Input.Topic, task.Partition), out var exists);
            known = exists ? Math.Min(known, position) : position;
        }
    }

    /// <summary>The shard of <paramref name="store"/> for <paramref name="partition"/>, if the stage has it.</summary>
    public IStoreShard? Shard(string store, int partition) => _shards.GetValueOrDefault((store, partition));

    /// <summary>The live view of a task's store (pending writes included), as its handler sees it.</summary>
    public IKeyValueStore? Store(string store, int partition) =>
        _tasks.Values.FirstOrDefault(task => task.Partition == partition) is { } task && Shard(store, partition) is not null ? task.Store(store) : null;

    /// <summary>The handler's context of the task of <paramref name="partition"/> of its (first) input topic.</summary>
    public ITaskContext Task(int partition) => _tasks.Values.First(task => task.Partition == partition);

    public void Dispose() => CloseTasks();

    private void Open()
    {
        if (Handler.Stores.Count > 0 && Handler.InputTopics.Count != 1)
        {
            throw new InvalidOperationException($"stage '{Handler.Stage}' has stores, so it must read exactly one topic (it reads {Handler.InputTopics.Count})");
        }
        var stores = Handler.Stores.Append(PositionsStore).ToList();
        foreach (var topic in Handler.InputTopics)
        {
            for (var partition = 0; partition < _topics.Log(topic).Partitions; partition++)
            {
                var input = new TopicPartition(topic, partition);
                var logged = stores.ToDictionary(name => name, name => new LoggedStore(
                    name == PositionsStore ? Restored(name, partition) : ShardOf(name, partition), Changelog(name, partition), _transaction));
                var task = new StreamTask(input, logged, PositionsStore, _transaction, _setAside, _retry, Handler.UpstreamStages, Handler.IsTransient);
                _tasks[(topic, partition)] = task;
                _positions[task] = _stored[task] = task.StoredPosition ?? 0;
            }
        }
        _ordered = [.. _tasks.Values];
    }

    // The handler's stores: a stage with stores reads one topic, so there is one shard per store and partition.
    private IStoreShard ShardOf(string store, int partition)
    {
        if (!_shards.TryGetValue((store, partition), out var shard))
        {
            _shards[(store, partition)] = shard = Restored(store, partition);
        }
        return shard;
    }

    private IStoreShard Restored(string store, int partition)
    {
        var shard = _options.Stores(store, partition);
        var changelog = _topics.Log(ChangelogTopics.For(_options.ApplicationId, store));
        foreach (var record in changelog.Compacted(partition))
        {
            if (record.Value is null)
            {
                shard.Delete(record.Key!);
            }
            else
            {
                shard.Put(record.Key!, record.Value);
            }
        }
        shard.Commit(changelog.EndOffset(partition));
        return shard;
    }

    private TopicPartition Changelog(string store, int partition) => new(ChangelogTopics.For(_options.ApplicationId, store), partition);

    private void SetAside(TopicPartitionOffset source, Message<byte[], byte[]> message, Exception error)
    {
        var letter = DeadLetter.Of(source, message, error, _options.ApplicationId, _clock.GetUtcNow().UtcDateTime);
        _transaction.Send(_options.DeadLetterTopic, new Message<byte[], byte[]?> { Key = letter.Key, Value = letter.Value, Headers = letter.Headers, Timestamp = letter.Timestamp });
    }

    private void CloseTasks()
    {
        foreach (var task in _ordered)
        {
            task.Dispose();
        }
        _tasks.Clear();
        _ordered = [];
        _positions.Clear();
        _stored.Clear();
        _shards.Clear();
    }
}
