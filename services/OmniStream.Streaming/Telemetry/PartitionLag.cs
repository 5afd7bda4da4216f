namespace OmniStream.Streaming.Telemetry;

/// <summary>How far a consumer is behind on one partition.</summary>
/// <param name="Records">Records not processed yet: the log end (as of the last fetch) minus the position.</param>
/// <param name="Seconds">Age of the oldest unprocessed record, bounded by the time since the last processed record was written; 0 when caught up.</param>
public readonly record struct PartitionLag(long Records, double Seconds)
{
    /// <summary>
    /// The lag from the consumer's own figures, which need no broker support (the embedded
    /// cluster keeps no transactional group offsets): its position, the high watermark of its
    /// last fetch, and the timestamp of the last record it processed.
    /// </summary>
    public static PartitionLag Of(long? position, long? highWatermark, DateTime? lastProcessedTimestamp, DateTime now)
    {
        if (highWatermark is not { } high || high <= 0)
        {
            return new(0, 0);
        }
        var records = Math.Max(0, high - (position ?? 0));
        var seconds = records == 0 || lastProcessedTimestamp is not { } last ? 0 : Math.Max(0, (now - last).TotalSeconds);
        return new(records, seconds);
    }
}
