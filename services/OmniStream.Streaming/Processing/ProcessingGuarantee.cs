namespace OmniStream.Streaming.Processing;

/// <summary>What a stream engine promises about each input record.</summary>
public enum ProcessingGuarantee
{
    /// <summary>
    /// Kafka EOS v2: outputs, changelog records and consumed offsets commit in one transaction, so
    /// each record's effects appear once, even across crashes and rebalances.
    /// </summary>
    ExactlyOnce,

    /// <summary>
    /// No transactions: outputs are flushed, then offsets committed. After a crash the records
    /// since the last commit are processed again, so outputs may repeat.
    /// </summary>
    AtLeastOnce,
}
