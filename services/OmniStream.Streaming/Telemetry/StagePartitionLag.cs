namespace OmniStream.Streaming.Telemetry;

/// <summary>One input partition of a stage, as a lag tool shows it.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Topic">The input topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Position">The next offset the stage will process, as of its last commit; null before its first.</param>
/// <param name="End">The log end (the last stable offset: open transactions excluded where brokers isolate them).</param>
/// <param name="Records">Records not processed yet.</param>
/// <param name="Seconds">The age of the first record not processed yet; 0 when caught up.</param>
/// <param name="Owner">The instance that owns the partition now, from the instance directory; null when none claims it.</param>
public sealed record StagePartitionLag(string Stage, string Topic, int Partition, long? Position, long End, long Records, double Seconds, string? Owner);
