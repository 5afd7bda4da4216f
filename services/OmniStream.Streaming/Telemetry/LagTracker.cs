using System.Collections.Concurrent;
using Confluent.Kafka;

namespace OmniStream.Streaming.Telemetry;

/// <summary>The latest lag of every partition a loop owns, read by the lag gauges.</summary>
public sealed class LagTracker
{
    private readonly ConcurrentDictionary<TopicPartition, PartitionLag> _lags = new();
    private readonly ConcurrentDictionary<TopicPartition, DateTime> _lastTimestamps = new();

    /// <summary>The lags now, by partition.</summary>
    public IReadOnlyDictionary<TopicPartition, PartitionLag> Current => _lags;

    /// <summary>Notes the timestamp of a processed record.</summary>
    public void Processed(TopicPartition partition, DateTime timestamp) => _lastTimestamps[partition] = timestamp;

    /// <summary>Recomputes the lags of the consumer's partitions from its own position and cached watermarks.</summary>
    public void Update<TKey, TValue>(IConsumer<TKey, TValue> consumer, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var assigned = consumer.Assignment;
        foreach (var partition in assigned)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            var position = consumer.Position(partition);
            _lags[partition] = PartitionLag.Of(
                position == Offset.Unset ? null : position.Value,
                high == Offset.Unset ? null : high.Value,
                _lastTimestamps.TryGetValue(partition, out var last) ? last : null,
                now);
        }
        foreach (var gone in _lags.Keys.Except(assigned))
        {
            _lags.TryRemove(gone, out _);
            _lastTimestamps.TryRemove(gone, out _);
        }
    }
}
