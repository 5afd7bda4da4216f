using Confluent.Kafka;

namespace OmniStream.Streaming.TestDriver;

/// <summary>A committed record on one of the driver's topics (a value: the driver keeps many, and allocates none per record).</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">Its offset in the partition.</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The value (null: a tombstone).</param>
/// <param name="Headers">The headers.</param>
/// <param name="Timestamp">The record's timestamp.</param>
public readonly record struct TestRecord(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, Headers? Headers, DateTime Timestamp);
