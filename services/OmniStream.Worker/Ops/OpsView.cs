using OmniStream.Streaming.Tasks;

namespace OmniStream.Worker.Ops;

/// <summary>What <c>GET /ops/snapshot</c> answers: this instance's view and those of the other instances it reached.</summary>
/// <param name="Application">The application id.</param>
/// <param name="Instance">The instance that answered.</param>
/// <param name="At">When.</param>
/// <param name="Instances">Every instance the directory knows, with what it owns and whether it answered.</param>
/// <param name="Views">Each reachable instance's own view, this one's first.</param>
public sealed record OpsView(string Application, string Instance, DateTime At, IReadOnlyList<OpsInstance> Instances, IReadOnlyList<OpsInstanceView> Views);

/// <summary>One instance of the application, as the instance directory tells.</summary>
/// <param name="Instance">Its id.</param>
/// <param name="Endpoint">Where it answers.</param>
/// <param name="Owns">The partitions it claims, by stage (<c>topic:partition</c>).</param>
/// <param name="Answered">Whether it answered this request (always for the instance that answered).</param>
/// <param name="Error">Why it did not.</param>
public sealed record OpsInstance(string Instance, string Endpoint, IReadOnlyDictionary<string, IReadOnlyList<string>> Owns, bool Answered, string? Error);

/// <summary>One instance's own figures.</summary>
/// <param name="Instance">Its id.</param>
/// <param name="At">When they were read.</param>
/// <param name="Stages">Its stages.</param>
/// <param name="Partitions">The input partitions it owns, with their lag over the last 15 minutes.</param>
/// <param name="Rates">Events in and actions out, now and over the last 15 minutes.</param>
/// <param name="Latency">Event→action latency over the last minute.</param>
/// <param name="DeadLetters">Dead letters by source and error class.</param>
/// <param name="Rebalances">Partitions assigned, revoked or lost: in the last 15 minutes and since start.</param>
/// <param name="Aborts">Transactions aborted: in the last 15 minutes and since start.</param>
public sealed record OpsInstanceView(string Instance, DateTime At, IReadOnlyList<OpsStage> Stages, IReadOnlyList<OpsPartition> Partitions,
    OpsRates Rates, OpsLatency Latency, IReadOnlyList<OpsDeadLetters> DeadLetters, OpsCount Rebalances, OpsCount Aborts);

/// <summary>A stage on one instance.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Status">Its loop's state.</param>
/// <param name="Failure">Why it failed, when it did.</param>
/// <param name="RestoreRemaining">Changelog records still to replay into its stores (0 when none is restoring).</param>
/// <param name="RestoreApplied">Changelog records replayed so far by the restores under way.</param>
/// <param name="AssignedPartitions">Input partitions this instance owns.</param>
/// <param name="InputPartitions">Input partitions of the stage, over all instances.</param>
/// <param name="Topics">Its input topics.</param>
public sealed record OpsStage(string Stage, StageStatus Status, string? Failure, long RestoreRemaining, long RestoreApplied, int AssignedPartitions, int InputPartitions, IReadOnlyList<string> Topics);

/// <summary>An input partition owned by one instance.</summary>
/// <param name="Stage">The stage that reads it.</param>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Records">Records not processed yet.</param>
/// <param name="Seconds">Age of the oldest record not processed yet.</param>
/// <param name="History">Samples of the last 15 minutes: [unix ms, records, seconds].</param>
public sealed record OpsPartition(string Stage, string Topic, int Partition, long Records, double Seconds, IReadOnlyList<double[]> History);

/// <summary>Throughput of one instance.</summary>
/// <param name="EventsInPerSecond">Channel events ingested per second, over the last sample interval.</param>
/// <param name="ActionsOutPerSecond">Next best actions emitted per second.</param>
/// <param name="History">Samples of the last 15 minutes: [unix ms, events in/s, actions out/s].</param>
public sealed record OpsRates(double EventsInPerSecond, double ActionsOutPerSecond, IReadOnlyList<double[]> History);

/// <summary>Event→action latency percentiles (ms) over the last minute; null without actions.</summary>
/// <param name="P50">The median.</param>
/// <param name="P99">The 99th percentile.</param>
/// <param name="Count">Actions measured.</param>
public sealed record OpsLatency(double? P50, double? P99, int Count);

/// <summary>Dead letters of one source and error class.</summary>
/// <param name="Source">The topic the records came from.</param>
/// <param name="Error">The error's class.</param>
/// <param name="PerMinute">In the last minute.</param>
/// <param name="Total">Since start.</param>
public sealed record OpsDeadLetters(string Source, string Error, long PerMinute, long Total);

/// <summary>A count in the last 15 minutes and since start.</summary>
/// <param name="Recent">In the last 15 minutes.</param>
/// <param name="Total">Since start.</param>
public sealed record OpsCount(long Recent, long Total);
