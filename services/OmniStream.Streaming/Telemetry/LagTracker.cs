using System.Collections.Concurrent;
using Confluent.Kafka;

namespace OmniStream.Streaming.Telemetry;

/// <summary>The latest lag of every partition the process's loops own, read by the lag gauges (one tracker serves every stage).</summary>
public sealed class LagTracker
{
    private readonly ConcurrentDictionary<TopicPartition, PartitionLag> _lags = new();
    private readonly ConcurrentDictionary<TopicPartition, DateTime> _lastTimestamps = new();
    private readonly ConcurrentDictionary<TopicPartition, string> _stages = new();
    // The consumer (its client name) that last reported each partition: a stage's threads each keep their own.
    private readonly ConcurrentDictionary<TopicPartition, string> _owners = new();

    /// <summary>The lags now, by partition.</summary>
    public IReadOnlyDictionary<TopicPartition, PartitionLag> Current => _lags;

    /// <summary>The stage that reads <paramref name="partition"/>, while one of this process owns it.</summary>
    public string? StageOf(TopicPartition partition) => _stages.TryGetValue(partition, out var stage) ? stage : null;

    /// <summary>Notes the timestamp of a processed record.</summary>
    public void Processed(TopicPartition partition, DateTime timestamp) => _lastTimestamps[partition] = timestamp;

    /// <summary>
    /// Recomputes the lags of <paramref name="stage"/>'s consumer's partitions from its own position and
    /// cached watermarks, and forgets the partitions it reported before and no longer owns; other
    /// loops' partitions (other stages', or other threads' of the same stage) are theirs to keep.
    /// A consumer has no position in a partition it has read nothing from since it was assigned
    /// (another thread or instance read it up to its end, and nothing came since): there the lag is
    /// counted from <paramref name="committedPosition"/>, where the partition's task resumes, not
    /// from the partition's start.
    /// </summary>
    public void Update<TKey, TValue>(IConsumer<TKey, TValue> consumer, string stage, DateTime now, Func<TopicPartition, long?>? committedPosition = null)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var assigned = consumer.Assignment;
        foreach (var partition in assigned)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            var position = consumer.Position(partition);
            _stages[partition] = stage;
            _owners[partition] = consumer.Name;
            _lags[partition] = PartitionLag.Of(
                position != Offset.Unset ? position.Value : committedPosition?.Invoke(partition),
                high == Offset.Unset ? null : high.Value,
                _lastTimestamps.TryGetValue(partition, out var last) ? last : null,
                now);
        }
        foreach (var gone in _owners.Where(o => o.Value == consumer.Name).Select(o => o.Key).Except(assigned).ToList())
        {
            // Only if no other consumer took it over meanwhile.
            if (_owners.TryRemove(KeyValuePair.Create(gone, consumer.Name)))
            {
                _lags.TryRemove(gone, out _);
                _lastTimestamps.TryRemove(gone, out _);
                _stages.TryRemove(gone, out _);
            }
        }
    }
}
