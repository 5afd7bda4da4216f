namespace OmniStream.DevCluster;

/// <summary>Kafka protocol request types (ApiKey) that tests commonly fail on purpose.</summary>
#pragma warning disable CA1028 // the protocol defines ApiKey as int16
public enum KafkaApi : short
#pragma warning restore CA1028
{
    /// <summary>ProduceRequest.</summary>
    Produce = 0,
    /// <summary>FetchRequest.</summary>
    Fetch = 1,
    /// <summary>ListOffsetsRequest.</summary>
    ListOffsets = 2,
    /// <summary>MetadataRequest.</summary>
    Metadata = 3,
    /// <summary>OffsetCommitRequest.</summary>
    OffsetCommit = 8,
    /// <summary>OffsetFetchRequest.</summary>
    OffsetFetch = 9,
    /// <summary>FindCoordinatorRequest.</summary>
    FindCoordinator = 10,
    /// <summary>JoinGroupRequest.</summary>
    JoinGroup = 11,
    /// <summary>HeartbeatRequest.</summary>
    Heartbeat = 12,
    /// <summary>SyncGroupRequest.</summary>
    SyncGroup = 14,
    /// <summary>InitProducerIdRequest.</summary>
    InitProducerId = 22,
    /// <summary>AddPartitionsToTxnRequest.</summary>
    AddPartitionsToTxn = 24,
    /// <summary>AddOffsetsToTxnRequest.</summary>
    AddOffsetsToTxn = 25,
    /// <summary>EndTxnRequest.</summary>
    EndTxn = 26,
    /// <summary>TxnOffsetCommitRequest.</summary>
    TxnOffsetCommit = 28,
}
