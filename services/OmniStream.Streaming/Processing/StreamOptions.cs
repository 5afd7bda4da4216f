using System.ComponentModel.DataAnnotations;

namespace OmniStream.Streaming.Processing;

/// <summary>How a <see cref="Tasks.StreamEngine"/> runs. Section <c>OmniStream:Stream</c>.</summary>
public sealed class StreamOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Stream";

    /// <summary>The application id: the prefix of consumer groups, transactional ids and internal topics.</summary>
    [Required(ErrorMessage = "OmniStream:Stream:ApplicationId is required")]
    [RegularExpression("^[A-Za-z0-9._-]+$", ErrorMessage = "OmniStream:Stream:ApplicationId may hold only letters, digits, '.', '_' and '-'")]
    public string ApplicationId { get; set; } = "omnistream-worker";

    /// <summary>Where records that cannot be processed go, untouched, with the reason in headers.</summary>
    [Required(ErrorMessage = "OmniStream:Stream:DeadLetterTopic is required")]
    public string DeadLetterTopic { get; set; } = "omni.deadletter";

    /// <summary>How often outputs are flushed and offsets committed (default 25 ms; while a stage is busy, commit pacing spaces them further).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "OmniStream:Stream:CommitInterval must be between 10 ms and 1 minute")]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How often the handler's tick runs (timers), and the longest a poll waits (default 10 ms).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10", ErrorMessage = "OmniStream:Stream:TickInterval must be between 1 ms and 10 s")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How often a stage thread that read nothing since its last watermark tells the later stages how far it has come
    /// (default 250 ms). While records come, every commit carries one; idle stages sending one at every commit (every 25 ms,
    /// each a transaction) made an idle worker write about 660 records a second for nothing. While a thread of a stage that
    /// feeds a later one reads nothing, the later stage's timers fire up to this late.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10", ErrorMessage = "OmniStream:Stream:IdleWatermarkInterval must be between 10 ms and 10 s")]
    public TimeSpan IdleWatermarkInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Where task stores live on disk (default <c>state</c>, relative to the working directory).</summary>
    [Required(ErrorMessage = "OmniStream:Stream:StateDirectory is required")]
    public string StateDirectory { get; set; } = "state";

    /// <summary>
    /// This instance's stable name; with the application id it forms the transactional id, so a
    /// restarted instance fences its former self. Instances on one machine need distinct ids.
    /// </summary>
    [Required(ErrorMessage = "OmniStream:Stream:InstanceId is required")]
    [RegularExpression("^[A-Za-z0-9._-]+$", ErrorMessage = "OmniStream:Stream:InstanceId may hold only letters, digits, '.', '_' and '-'")]
    public string InstanceId { get; set; } = Environment.MachineName;

    /// <summary>
    /// Where this instance answers store queries (e.g. <c>http://worker-2:8080</c>), announced to
    /// the other instances with the partitions it owns; none by default.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>How long an open transaction may last before the broker aborts it (default 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:15:00", ErrorMessage = "OmniStream:Stream:TransactionTimeout must be between 1 s and 15 minutes")]
    public TimeSpan TransactionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Exactly-once (default) or at-least-once, which skips transactions for raw speed.</summary>
    public ProcessingGuarantee Guarantee { get; set; } = ProcessingGuarantee.ExactlyOnce;

    /// <summary>The most records a task processes in one transaction, whatever the commit interval (default 10,000).</summary>
    [Range(1, 1_000_000, ErrorMessage = "OmniStream:Stream:MaxRecordsPerCommit must be between 1 and 1,000,000")]
    public int MaxRecordsPerCommit { get; set; } = 10_000;

    /// <summary>
    /// Whether the brokers hide the records of open and aborted transactions from read_committed
    /// readers, as Apache Kafka does. Default false, right on any broker: each commit delivers the
    /// outputs, then the state changes, then the input positions, each before the next is sent, so
    /// that a crash in the middle of a commit loses nothing even where readers see unfinished
    /// transactions (the embedded cluster); and a stage thread back from a long absence from its poll
    /// confirms that the group still counts it as a member before it sends state changes, since such
    /// brokers may not fence a dropped member's transaction. Set it true on Apache Kafka under exactly-once: one
    /// flush per commit instead of three (in the bench, about 10 % more events/s and 50 ms less p99).
    /// </summary>
    public bool BrokersIsolateTransactions { get; set; }

    /// <summary>
    /// The partitions of the application's topics between stages and of their stores' changelogs, when the worker
    /// creates them (default 6): how many instances can share the work. An application keeps the count it was
    /// created with; to grow one, move its state to a new application id with more (<c>omnistream migrate</c>).
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "OmniStream:Stream:Partitions must be between 1 and 10000")]
    public int Partitions { get; set; } = 6;

    /// <summary>
    /// Static group membership (Kafka's <c>group.instance.id</c>, KIP-345), default false. When true, each stage
    /// thread joins its group as <c>&lt;app&gt;-&lt;stage&gt;-&lt;instance&gt;[-&lt;thread&gt;]</c>: an instance that
    /// restarts within the consumer session (<c>session.timeout.ms</c>) takes its partitions back without a
    /// rebalance, and its state with them. The price: an instance that stops for good holds its partitions
    /// until its session times out, since a static member does not leave its group. Right where instance ids
    /// are stable (a StatefulSet's pod names).
    /// </summary>
    public bool StaticMembership { get; set; }

    /// <summary>
    /// How long a stage rides out brokers it cannot reach (default 5 minutes): librdkafka reconnects
    /// and the engine replays aborted transactions meanwhile; past this, the stage fails, so the
    /// process exits non-zero rather than run on without brokers.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ErrorMessage = "OmniStream:Stream:MaxBrokerOutage must be between 5 s and 1 day")]
    public TimeSpan MaxBrokerOutage { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many threads run each stage in this instance (default 1). Each thread is a member of the
    /// stage's consumer group with its own producer and transactions, so the stage's partitions (its
    /// tasks) spread over the threads as they spread over instances; a stage's throughput grows with
    /// its threads up to its partition count or the machine's cores.
    /// </summary>
    [Range(1, 64, ErrorMessage = "OmniStream:Stream:Threads must be between 1 and 64")]
    public int Threads { get; set; } = 1;

    /// <summary>
    /// Threads of particular stages, by stage name (e.g. <c>customers</c>), instead of <see cref="Threads"/>:
    /// the busiest stage can have more threads than the others.
    /// </summary>
    public Dictionary<string, int> StageThreads { get; set; } = [];

    /// <summary>
    /// How long the state directory of a task this instance no longer owns is kept before it is deleted
    /// (default 10 minutes, as Kafka Streams' <c>state.cleanup.delay.ms</c>): a partition that comes back
    /// within it restores only what it missed; after it, no customer data stays on a former owner's disk.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "OmniStream:Stream:StateCleanupDelay must be between 1 s and 7 days")]
    public TimeSpan StateCleanupDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many threads run <paramref name="stage"/>.</summary>
    public int ThreadsOf(string stage) => StageThreads.TryGetValue(stage, out var threads) ? threads : Threads;

    /// <summary>What is wrong with <see cref="StageThreads"/>, or null.</summary>
    public string? StageThreadsProblem() =>
        StageThreads.FirstOrDefault(s => s.Value is < 1 or > 64) is { Key: not null } bad
            ? $"{Section}:StageThreads:{bad.Key} must be between 1 and 64 (it is {bad.Value})"
            : null;

    /// <summary>How many times a transient failure is retried before the record is dead-lettered (default 3).</summary>
    [Range(0, 20, ErrorMessage = "OmniStream:Stream:TransientRetries must be between 0 and 20")]
    public int TransientRetries { get; set; } = 3;
}
