using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Queries;
using OmniStream.Kafka.Operations.Resilience;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Telemetry;
using Polly;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// Runs one stage (an <see cref="IStreamHandler"/>): each input partition is a task owning its
/// shard of every store, restored from the store's changelog before the task processes anything.
/// With <see cref="ProcessingGuarantee.ExactlyOnce"/> (Kafka EOS v2), outputs, changelog records,
/// dead letters and consumed offsets of all tasks commit in one transaction per commit interval
/// (or record bound; spaced out while the input keeps the stage busy and commits grow slow, see
/// <see cref="CommitPacing"/>); only then do the stores apply their pending writes. A transaction that
/// aborts drops the pending writes and rewinds the input to the committed position, so nothing is
/// lost or doubled. With <see cref="ProcessingGuarantee.AtLeastOnce"/> outputs are flushed before
/// offsets are committed, without transactions. A fatal error (a fenced instance) stops the engine.
/// Each task also keeps its input position in the stage's positions store, whose changelog is
/// written with the outputs: a restarted task resumes from there. This does not depend on the
/// broker storing transactional group offsets (librdkafka's mock brokers accept them but keep
/// nothing); group offsets are still committed, for lag tooling.
/// Timers run in the handler's tick, per task: by the wall clock once the task has read its input
/// to the end, and by the task's stream time (its latest record timestamp) while it works through
/// a backlog, so that a timer does not fire before the records that would have cancelled it. A
/// stage that feeds a later one writes its progress (<see cref="Watermark"/>) into the topics it
/// feeds at each commit; the later stage's timers also wait for every fed partition's progress.
/// </summary>
public sealed partial class StreamEngine(
    KafkaOptions kafka,
    StreamOptions options,
    IStreamHandler handler,
    StoreRestorer restorer,
    StreamingMetrics metrics,
    ILogger<StreamEngine> logger,
    TimeProvider time,
    InstanceDirectory? directory = null)
{
    private readonly ResiliencePipeline _retry = RetryPipelines.Transient(options.TransientRetries, handler.IsTransient);
    private readonly LogBudget _deadLetterLines = new(linesPerWindow: 10, TimeSpan.FromSeconds(10), time);
    private int _inputPartitions;
    // One per thread, set when the thread starts: store queries read them from other threads.
    private readonly TaskRegistry?[] _registries = new TaskRegistry?[options.ThreadsOf(handler.Stage)];
    // Per thread, the partitions whose tasks are open (stores restored).
    private readonly int[] _assigned = new int[options.ThreadsOf(handler.Stage)];
    private readonly Lock _announcing = new();

    /// <summary>Deletes the state directories of the stage's tasks closed here for the cleanup delay.</summary>
    internal StateCleaner Cleaner { get; } = new(Path.Combine(options.StateDirectory, options.ApplicationId, handler.Stage), options.StateCleanupDelay, logger);
    private long _aborts;
    private volatile StageStatus _status;
    private volatile string? _failure;

    /// <summary>The positions store of a stage: where its tasks keep their input positions.</summary>
    public static string PositionsStore(string stage) => $"{stage}-positions";

    /// <summary>Whether a record of a topic between stages is an earlier stage's progress (a watermark) rather than data.</summary>
    public static bool IsWatermark(Headers? headers) => Watermark.IsWatermark(headers);

    /// <summary>The consumer group of a stage.</summary>
    public static string GroupId(string applicationId, string stage) => $"{applicationId}-{stage}";

    /// <summary>The stage this engine runs.</summary>
    public string Stage => handler.Stage;

    /// <summary>The topics the stage reads.</summary>
    public IReadOnlyList<string> InputTopics => handler.InputTopics;

    /// <summary>How many input partitions (tasks) this instance owns now.</summary>
    public int AssignedPartitions => PartitionsPerThread.Sum();

    /// <summary>How many input partitions the stage has (0 before it starts).</summary>
    public int InputPartitions => Volatile.Read(ref _inputPartitions);

    /// <summary>How many transactions aborted and were replayed since start.</summary>
    public long Aborts => Interlocked.Read(ref _aborts);

    /// <summary>Whether the stage's loop runs, stopped, or failed (see <see cref="Failure"/>).</summary>
    public StageStatus Status => _status;

    /// <summary>Why the stage's loop failed (the error's type and message), or null.</summary>
    public string? Failure => _failure;

    /// <summary>Records waiting in the partitions of the stage's input that this instance owns, as of the last lag refresh (every second).</summary>
    public long InputLag => metrics.Lags.Current.Where(lag => handler.InputTopics.Contains(lag.Key.Topic)).Sum(lag => lag.Value.Records);

    /// <summary>The input partition, hence the store shard, of <paramref name="key"/> (the engine's producers partition keys with murmur2, as Kafka's Java clients do).</summary>
    /// <exception cref="ArgumentException">The stage reads several topics.</exception>
    /// <exception cref="InvalidOperationException">The engine has not started yet.</exception>
    public TopicPartition PartitionOf(byte[] key)
    {
        if (handler.InputTopics.Count != 1)
        {
            throw new ArgumentException($"stage '{handler.Stage}' reads {handler.InputTopics.Count} topics: its keys have no single partition", nameof(key));
        }
        var partitions = Volatile.Read(ref _inputPartitions);
        return partitions > 0
            ? new TopicPartition(handler.InputTopics[0], KeyPartitioner.Partition(key, partitions))
            : throw new InvalidOperationException($"stage '{handler.Stage}' has not started");
    }

    /// <summary>
    /// From any thread: the committed value of <paramref name="key"/> in <paramref name="store"/>
    /// (null when absent) when this instance owns the key's shard now; false when it does not.
    /// </summary>
    public bool TryRead(string store, byte[] key, out byte[]? value)
    {
        ThrowIfNotMine(store);
        value = null;
        var partition = PartitionOf(key);
        foreach (var tasks in Registries)
        {
            if (tasks.TryRead(partition, store, key, out value))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// From any thread: the committed value of <paramref name="key"/> in <paramref name="store"/>
    /// (null when absent) and its parts (<see cref="KeyParts"/>), read at one point in time, when
    /// this instance owns the key's shard now; false when it does not.
    /// </summary>
    public bool TryReadWithParts(string store, byte[] key, out byte[]? value, out IReadOnlyList<KeyValuePair<byte[], byte[]>> parts)
    {
        ThrowIfNotMine(store);
        (value, parts) = (null, []);
        var partition = PartitionOf(key);
        foreach (var tasks in Registries)
        {
            if (tasks.TryReadWithParts(partition, store, key, out value, out var read))
            {
                parts = read;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// From any thread: every committed entry of <paramref name="store"/> in the shards this
    /// instance owns now, with the partition of each, as one consistent read per shard.
    /// </summary>
    public IReadOnlyList<(int Partition, byte[] Key, byte[] Value)> ReadLocal(string store)
    {
        ThrowIfNotMine(store);
        return [.. Registries.SelectMany(tasks => tasks.ReadAll(store))];
    }

    private void ThrowIfNotMine(string store)
    {
        if (!handler.Stores.Contains(store))
        {
            throw new ArgumentException($"stage '{handler.Stage}' has no store '{store}' (stores: {string.Join(", ", handler.Stores)})", nameof(store));
        }
    }

    /// <summary>The input partitions this instance owns now, for queries from any thread.</summary>
    public IReadOnlyList<TopicPartition> OwnedPartitions => [.. Registries.SelectMany(tasks => tasks.QueryablePartitions)];

    private IEnumerable<TaskRegistry> Registries => _registries.Select(tasks => Volatile.Read(ref tasks)).OfType<TaskRegistry>();

    /// <summary>How many input partitions each of the stage's threads owns now, their tasks open and stores restored (see <see cref="StreamOptions.Threads"/>).</summary>
    public IReadOnlyList<int> PartitionsPerThread => [.. Enumerable.Range(0, _assigned.Length).Select(thread => Volatile.Read(ref _assigned[thread]))];

    /// <summary>
    /// Whether the stage has joined its group on every thread that can own a partition (a stage with
    /// fewer partitions than threads leaves some threads idle).
    /// </summary>
    public bool Joined => InputPartitions > 0 && PartitionsPerThread.Count(count => count > 0) == Math.Min(_registries.Length, InputPartitions);

    /// <summary>The stores of every task: the handler's and the stage's positions store.</summary>
    public IReadOnlyList<string> StoreNames => [.. handler.Stores, PositionsStore(handler.Stage)];

    /// <summary>
    /// Runs the stage on <see cref="StreamOptions.ThreadsOf"/> threads (each a <see cref="StageLoop"/>)
    /// until <paramref name="stop"/> is cancelled; then each commits, closes its tasks and leaves the
    /// group. When one thread fails, the others stop too (committing) and the failure is thrown.
    /// </summary>
    /// <exception cref="InvalidOperationException">An input or changelog topic is missing, or a changelog is not co-partitioned with the input.</exception>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            var loops = Enumerable.Range(0, _registries.Length)
                .Select(thread => new StageLoop(this, thread, kafka, options, handler, restorer, metrics, logger, time, _retry, _deadLetterLines))
                .ToList();
            if (loops.Count == 1)
            {
                await loops[0].RunAsync(stop).ConfigureAwait(false);
            }
            else
            {
                await StopTogether.RunAsync(loops.Select((loop, thread) => ($"{handler.Stage} thread {thread}", (Func<CancellationToken, Task>)loop.RunAsync)), stop).ConfigureAwait(false);
            }
            _status = StageStatus.Stopped;
        }
        catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            _failure = $"{error.GetType().Name}: {error.Message}";
            _status = StageStatus.Failed;
            LogFailed(handler.Stage, _failure);
            throw;
        }
    }

    /// <summary>A thread has built its clients and tasks registry: store queries may read it.</summary>
    internal void ThreadStarted(int thread, TaskRegistry tasks, int inputPartitions)
    {
        Volatile.Write(ref _registries[thread], tasks);
        Volatile.Write(ref _inputPartitions, inputPartitions);
    }

    /// <summary>A thread subscribed: the stage runs.</summary>
    internal void Running()
    {
        metrics.Stages[handler.Stage] = () => _status == StageStatus.Running;
        // The series exists at 0 before the first abort, so that increase() sees the first one.
        metrics.Aborts.Add(0);
        _status = StageStatus.Running;
    }

    /// <summary>A thread opened (restored) or closed <paramref name="delta"/> tasks.</summary>
    internal void OwnedChanged(int thread, int delta)
    {
        Interlocked.Add(ref _assigned[thread], delta);
        Announce();
    }

    /// <summary>A thread closed its tasks and left the group.</summary>
    internal void ThreadStopped(int thread)
    {
        Announce();
        Interlocked.Exchange(ref _assigned[thread], 0);
    }

    /// <summary>A thread's transaction aborted.</summary>
    internal void Aborted() => Interlocked.Increment(ref _aborts);

    // Every thread's partitions, announced under a lock so that a thread's view never overwrites a newer one.
    private void Announce()
    {
        if (directory is null)
        {
            return;
        }
        lock (_announcing)
        {
            directory.Announce(handler.Stage, OwnedPartitions);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stage {Stage} failed: {Failure}")]
    private partial void LogFailed(string stage, string failure);
}
