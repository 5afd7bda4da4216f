using System.Text;
using Confluent.Kafka;
using OmniStream.Streaming.State;
using Polly;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// One input partition, its shard of every store, and its position (the next input offset) kept
/// in the positions store under the input topic's name: tasks of several input topics may share
/// a positions changelog partition.
/// </summary>
internal sealed class StreamTask(
    TopicPartition input,
    IReadOnlyDictionary<string, LoggedStore> stores,
    string positionsStore,
    IStageSink sink,
    Action<TopicPartitionOffset, Message<byte[], byte[]>, Exception> setAside,
    ResiliencePipeline retry,
    IReadOnlyCollection<string> upstreamStages,
    Func<Exception, bool> isTransient) : ITaskContext, IDisposable
{
    private readonly byte[] _positionKey = Encoding.UTF8.GetBytes(input.Topic);
    private readonly Dictionary<string, object> _locals = [];
    private readonly Lock _readLock = new();
    private bool _disposed;
    private long? _consumedUpTo;
    // Where the task resumed: until it consumes a record, the consumer reports no position for it.
    private readonly long? _resumedAt = AsOffset(stores[positionsStore].Find(Encoding.UTF8.GetBytes(input.Topic)));

    public TopicPartition Input => input;

    public int Partition => input.Partition.Value;

    /// <summary>Records processed since the last commit.</summary>
    public int Uncommitted { get; private set; }

    public IKeyValueStore Store(string name) =>
        stores.TryGetValue(name, out var store) ? store : throw new ArgumentException($"task {input} has no store '{name}'", nameof(name));

    public T Local<T>(string name, Func<T> create) where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        if (!_locals.TryGetValue(name, out var local))
        {
            _locals[name] = local = create();
        }
        return local as T ?? throw new ArgumentException($"task {input} holds '{name}' as {local.GetType().Name}, not {typeof(T).Name}", nameof(name));
    }

    public T Local<T, TArgument>(string name, TArgument argument, Func<TArgument, T> create) where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        if (!_locals.TryGetValue(name, out var local))
        {
            _locals[name] = local = create(argument);
        }
        return local as T ?? throw new ArgumentException($"task {input} holds '{name}' as {local.GetType().Name}, not {typeof(T).Name}", nameof(name));
    }

    public void SetAside(string store, byte[] key, byte[] value, Exception reason)
    {
        var changelog = ((LoggedStore)Store(store)).Changelog;
        setAside(new TopicPartitionOffset(changelog, Offset.Unset), new Message<byte[], byte[]> { Key = key, Value = value }, reason);
    }

    public async ValueTask FireAsync<TState>(string store, byte[] key, DateTime due, TState state, Func<TState, CancellationToken, ValueTask> fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        try
        {
            await retry.ExecuteAsync(static (s, token) => s.fire(s.state, token), (fire, state), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not KafkaException && (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            if (isTransient(error))
            {
                // A dependency's outage, not the timer's fault: the transaction is replayed once it answers, the timer with it.
                throw new DependencyUnavailableException($"timer of {store} in {input}: {error.Message}", error);
            }
            // A Kafka error is the transaction's: it propagates and the transaction is replayed, timers included.
            var ticks = new byte[sizeof(long)];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(ticks, due.ToUniversalTime().Ticks);
            SetAside(store, key, ticks, error);
        }
    }

    public void Send(string topic, byte[] key, byte[] value, Headers? headers = null) => sink.Send(topic, key, value, headers);

    public void Send(string topic, Message<byte[], byte[]?> message) => sink.Send(topic, message);

    /// <summary>The latest record timestamp the task has processed since it opened or last aborted (its stream time).</summary>
    public DateTime StreamTime { get; private set; } = DateTime.MinValue;

    /// <summary>The progress of the stages that feed this one, from the watermarks in this task's input.</summary>
    public UpstreamProgress Upstream { get; } = new(upstreamStages);

    /// <summary>Notes that the record at <paramref name="offset"/> was processed in the open transaction.</summary>
    public void Consumed(long offset, Timestamp timestamp)
    {
        _consumedUpTo = offset + 1;
        Uncommitted++;
        if (timestamp.Type != TimestampType.NotAvailable && timestamp.UtcDateTime > StreamTime)
        {
            StreamTime = timestamp.UtcDateTime;
        }
    }

    /// <summary>
    /// The time up to which the task's timers may fire: the wall clock once the task has read its
    /// input up to the end seen by its last fetch; while it works through a backlog, its stream
    /// time, so that no timer fires before the records that were due to cancel it are read.
    /// </summary>
    public DateTime TimerTime(IConsumer<byte[], byte[]> consumer, DateTime wallClock)
    {
        var high = consumer.GetWatermarkOffsets(input).High;
        var position = consumer.Position(input);
        var next = position != Offset.Unset ? position.Value : _resumedAt ?? 0;
        var caughtUp = high != Offset.Unset && next >= high.Value;
        return caughtUp || StreamTime > wallClock ? wallClock : StreamTime;
    }

    /// <summary>
    /// The time up to which the task's timers may fire, and which its watermarks claim: its
    /// <see cref="TimerTime"/>, and for a stage fed by another, no later than that stage's progress
    /// (so that a stall two stages up still holds timers back).
    /// </summary>
    public DateTime ProgressTime(IConsumer<byte[], byte[]> consumer, DateTime wallClock)
    {
        var time = TimerTime(consumer, wallClock);
        return upstreamStages.Count > 0 && Upstream.Time < time ? Upstream.Time : time;
    }

    /// <summary>
    /// The next input offset as of the last committed transaction, if one was recorded. A recorded value that is no offset
    /// (not 8 bytes, or negative) is set aside, and the task resumes from the group's committed offset: failing here would
    /// fail every assignment of the partition.
    /// </summary>
    public long? StoredPosition
    {
        get
        {
            if (stores[positionsStore].Find(_positionKey) is not { } bytes)
            {
                return null;
            }
            if (AsOffset(bytes) is { } position)
            {
                return position;
            }
            // Once: deleted with the transaction that sets it aside (an abort brings both back, for the next assignment).
            SetAside(positionsStore, _positionKey, bytes, new InvalidDataException($"the stored position of {input} is {bytes.Length} bytes, not an 8-byte offset"));
            stores[positionsStore].Delete(_positionKey);
            return null;
        }
    }

    private static long? AsOffset(byte[]? bytes) => bytes is { Length: sizeof(long) } && BitConverter.ToInt64(bytes) is >= 0 and var offset ? offset : null;

    /// <summary>Sends the state changes of the handler's stores to their changelogs.</summary>
    public void SendStateChanges()
    {
        foreach (var store in stores.Values)
        {
            if (store.Name != positionsStore)
            {
                store.SendPendingToChangelog();
            }
        }
    }

    /// <summary>Writes the next input offset, if records were processed, and sends the position's change to the positions changelog.</summary>
    public void SendPosition()
    {
        var positions = stores[positionsStore];
        if (_consumedUpTo is { } next)
        {
            positions.Put(_positionKey, BitConverter.GetBytes(next));
        }
        // A position set aside is deleted even when nothing was consumed.
        if (positions.Inner.PendingWrites > 0)
        {
            positions.SendPendingToChangelog();
        }
    }

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

    /// <summary>After the transaction aborted: drop pending writes and the in-memory objects that may reflect them.</summary>
    public void AbortStores()
    {
        foreach (var store in stores.Values)
        {
            store.Inner.Abort();
        }
        DropLocals();
        // The input rewinds: records up to the stream time will be read again.
        StreamTime = DateTime.MinValue;
        _consumedUpTo = null;
        Uncommitted = 0;
    }

    /// <summary>For queries from other threads: the committed value of <paramref name="key"/> in <paramref name="store"/>; false once the task is closed.</summary>
    public bool TryReadCommitted(string store, byte[] key, out byte[]? value)
    {
        lock (_readLock)
        {
            value = _disposed ? null : stores[store].Inner.FindCommitted(key);
            return !_disposed;
        }
    }

    /// <summary>For queries from other threads: the committed value of <paramref name="key"/> in <paramref name="store"/> and its parts, read at one point in time; false once the task is closed.</summary>
    public bool TryReadCommittedWithParts(string store, byte[] key, out byte[]? value, out List<KeyValuePair<byte[], byte[]>> parts)
    {
        lock (_readLock)
        {
            (value, parts) = _disposed ? (null, []) : stores[store].Inner.FindCommittedWithParts(key);
            return !_disposed;
        }
    }

    /// <summary>For queries from other threads: every committed entry of <paramref name="store"/>; none once the task is closed.</summary>
    public List<KeyValuePair<byte[], byte[]>> ReadAllCommitted(string store)
    {
        lock (_readLock)
        {
            return _disposed ? [] : [.. stores[store].Inner.ScanCommitted()];
        }
    }

    public void Dispose()
    {
        lock (_readLock)
        {
            _disposed = true;
            foreach (var store in stores.Values)
            {
                store.Inner.Dispose();
            }
        }
        DropLocals();
    }

    private void DropLocals()
    {
        foreach (var local in _locals.Values)
        {
            (local as IDisposable)?.Dispose();
        }
        _locals.Clear();
    }
}
