using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.TestDriver;

/// <summary>
/// Runs stages (<see cref="IStreamHandler"/>s) as the engine does, with no broker: topics and stores
/// in memory, one task per input partition, each stage with its own transactions, and a clock the
/// caller moves. Records from outside are <see cref="Pipe"/>d in; a stage reads only what was
/// committed; a record sent to a topic another stage reads reaches it once the sender commits.
/// <see cref="RunAsync"/> lets every stage work, tick and commit until none has anything left;
/// <see cref="ProcessAsync"/>, <see cref="TickAsync"/>, <see cref="Commit"/>, <see cref="Crash"/>
/// and <see cref="Restart"/> drive one stage by hand (a crash drops what it did not commit and its
/// input rewinds; a restart also rebuilds its stores from their changelogs). In the spirit of Kafka
/// Streams' <c>TopologyTestDriver</c>. Not thread-safe.
/// </summary>
public sealed class StageTestDriver : IDisposable
{
    private readonly StageTestDriverOptions _options;
    private readonly DriverTopics _topics;
    private readonly List<DriverStage> _stages;
    // Trim's map, filled again at each commit: each input partition's lowest committed position among its readers.
    private readonly Dictionary<(string Topic, int Partition), long> _lowestRead = [];

    /// <summary>A driver of <paramref name="stages"/> (in the order they feed each other) on <paramref name="clock"/>.</summary>
    public StageTestDriver(IEnumerable<IStreamHandler> stages, FakeTimeProvider clock, StageTestDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
        _options = options ?? new StageTestDriverOptions();
        var handlers = stages.ToList();
        _topics = new DriverTopics(_options, handlers.SelectMany(h => h.InputTopics).ToHashSet());
        _stages = [.. handlers.Select(handler => new DriverStage(handler, _topics, _options, clock))];
    }

    /// <summary>The clock every stage reads; move it with <see cref="AdvanceAsync"/> (or directly, then <see cref="RunAsync"/>).</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>Now, by <see cref="Clock"/>.</summary>
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>The options in force.</summary>
    public StageTestDriverOptions Options => _options;

    /// <summary>Writes a record from outside (a channel backend), committed at once, to the partition of its key.</summary>
    public void Pipe(string topic, byte[]? key, byte[]? value, Headers? headers = null, DateTime? timestamp = null)
    {
        var log = _topics.Log(topic);
        var partition = key is { Length: > 0 } ? KeyPartitioner.Partition(key, log.Partitions) : 0;
        log.Append(partition, key, value, headers, timestamp ?? Now);
    }

    /// <summary>
    /// Every stage, in order, reads what it can, runs its timers as of now and commits, again and
    /// again until no stage has anything left to read.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        const int MaxPasses = 10_000;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var worked = false;
            foreach (var stage in _stages)
            {
                worked |= await stage.ProcessAsync(int.MaxValue, cancellationToken).ConfigureAwait(false) > 0;
                await stage.TickAsync(Now, cancellationToken).ConfigureAwait(false);
                worked |= stage.Commit();
            }
            Trim();
            if (!worked && !_stages.Any(s => s.HasUnread))
            {
                return;
            }
        }
        throw new InvalidOperationException($"the stages still had records to read after {MaxPasses} passes: records that cause records without end?");
    }

    /// <summary>Moves the clock by <paramref name="by"/>, in steps of <paramref name="step"/> (default: at once), and runs the stages after each step.</summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan? step = null, CancellationToken cancellationToken = default)
    {
        var left = by;
        var stride = step is { } s && s > TimeSpan.Zero ? s : by;
        while (left > TimeSpan.Zero)
        {
            var move = stride < left ? stride : left;
            Clock.Advance(move);
            left -= move;
            await RunAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stage <paramref name="stage"/> reads and handles up to <paramref name="max"/> committed records; returns how many.</summary>
    public Task<int> ProcessAsync(string stage, int max = int.MaxValue, CancellationToken cancellationToken = default) =>
        Stage(stage).ProcessAsync(max, cancellationToken);

    /// <summary>Stage <paramref name="stage"/> runs its timers as of now.</summary>
    public Task TickAsync(string stage, CancellationToken cancellationToken = default) => Stage(stage).TickAsync(Now, cancellationToken);

    /// <summary>Stage <paramref name="stage"/> commits; false when it had nothing open.</summary>
    public bool Commit(string stage)
    {
        var committed = Stage(stage).Commit();
        Trim();
        return committed;
    }

    /// <summary>Stage <paramref name="stage"/> is killed: what it did since its last commit is lost, and its input rewinds to its committed position.</summary>
    public void Crash(string stage) => Stage(stage).Abort();

    /// <summary>Stage <paramref name="stage"/> is killed and started again on a new machine: its stores are rebuilt from their changelogs.</summary>
    public void Restart(string stage) => Stage(stage).Restart();

    /// <summary>Every stage is restarted (<see cref="Restart"/>).</summary>
    public void RestartAll() => _stages.ForEach(stage => stage.Restart());

    /// <summary>The committed records of the inputs of <paramref name="stage"/> it has not read yet.</summary>
    public long Unread(string stage) => Stage(stage).Unread;

    /// <summary>Records the committed transactions of <paramref name="stage"/> wrote so far: outputs, changelog records (positions' included), dead letters.</summary>
    public long RecordsWritten(string stage) => Stage(stage).RecordsWritten;

    /// <summary>The committed records of <paramref name="topic"/>, partition by partition, in offset order.</summary>
    public IReadOnlyList<TestRecord> Read(string topic) => _topics.Exists(topic) ? [.. _topics.Log(topic).All] : [];

    /// <summary>The committed value of <paramref name="key"/> in <paramref name="store"/> (in the shard of the key's partition), or null.</summary>
    public byte[]? Get(string store, byte[] key) => ShardOf(store, key).FindCommitted(key);

    /// <summary>The committed value of <paramref name="key"/> in <paramref name="store"/> and its parts (<see cref="KeyParts"/>).</summary>
    public (byte[]? Value, List<KeyValuePair<byte[], byte[]>> Parts) GetWithParts(string store, byte[] key) => ShardOf(store, key).FindCommittedWithParts(key);

    /// <summary>Every committed entry of <paramref name="store"/>, shard by shard.</summary>
    public IEnumerable<(int Partition, byte[] Key, byte[] Value)> Scan(string store)
    {
        var owner = Owner(store);
        for (var partition = 0; owner.Shard(store, partition) is { } shard; partition++)
        {
            foreach (var (key, value) in shard.ScanCommitted())
            {
                yield return (partition, key, value);
            }
        }
    }

    /// <summary>What the handler of the task owning <paramref name="partition"/> sees of <paramref name="store"/>, pending writes included.</summary>
    public IKeyValueStore Store(string store, int partition = 0) =>
        Owner(store).Store(store, partition) ?? throw new ArgumentException($"store '{store}' has no partition {partition}", nameof(partition));

    /// <summary>The context the handler of <paramref name="stage"/> gets for the task of <paramref name="partition"/> (for calls a test makes as the handler would).</summary>
    public ITaskContext Task(string stage, int partition = 0) => Stage(stage).Task(partition);

    /// <inheritdoc />
    public void Dispose() => _stages.ForEach(stage => stage.Dispose());

    private DriverStage Stage(string name) =>
        _stages.FirstOrDefault(s => s.Handler.Stage == name) ?? throw new ArgumentException($"no stage '{name}' (stages: {string.Join(", ", _stages.Select(s => s.Handler.Stage))})", nameof(name));

    private DriverStage Owner(string store) =>
        _stages.FirstOrDefault(s => s.Handler.Stores.Contains(store)) ?? throw new ArgumentException($"no stage has store '{store}'", nameof(store));

    private IStoreShard ShardOf(string store, byte[] key)
    {
        var owner = Owner(store);
        var partition = KeyPartitioner.Partition(key, _topics.Log(owner.Handler.InputTopics[0]).Partitions);
        return owner.Shard(store, partition)!;
    }

    // Without KeepRecords, records every reader committed past are dropped, so that long runs keep memory flat.
    private void Trim()
    {
        if (_options.KeepRecords)
        {
            return;
        }
        _lowestRead.Clear();
        foreach (var stage in _stages)
        {
            stage.LowerToCommitted(_lowestRead);
        }
        foreach (var ((topic, partition), position) in _lowestRead)
        {
            _topics.Log(topic).TrimBefore(partition, position);
        }
    }
}
