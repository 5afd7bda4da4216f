using Confluent.Kafka;

namespace OmniStream.Kafka;

/// <summary>Reads the partitions of a topic (from their beginning, or from given offsets) up to their end as of the call, committing nothing.</summary>
public static class TopicToEnd
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Calls <paramref name="onRecord"/> for each record of <paramref name="topic"/>, partition by partition in offset order.</summary>
    public static async Task ReadAsync(KafkaOptions kafka, string topic, string clientId, Func<ConsumeResult<byte[], byte[]>, Task> onRecord, CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(kafka)).Build();
        var partitions = admin.GetMetadata(topic, Timeout).Topics.Single().Partitions
            .Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)).ToList();
        await ReadAsync(kafka, partitions, clientId, onRecord, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls <paramref name="onRecord"/> for each record from each of <paramref name="starts"/> up to its partition's end as of the call, in offset order per partition.</summary>
    public static async Task ReadAsync(KafkaOptions kafka, IReadOnlyList<TopicPartitionOffset> starts, string clientId, Func<ConsumeResult<byte[], byte[]>, Task> onRecord,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(onRecord);
        var config = KafkaClientConfigs.Consumer(kafka, clientId, clientId);
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var ends = starts.ToDictionary(s => s.TopicPartition, s => consumer.QueryWatermarkOffsets(s.TopicPartition, Timeout).High.Value);
        var open = starts.Where(s => ends[s.TopicPartition] > 0 && (s.Offset.IsSpecial || s.Offset.Value < ends[s.TopicPartition])).ToList();
        var waiting = open.Select(s => s.TopicPartition).ToHashSet();
        consumer.Assign(open);
        while (waiting.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } record)
            {
                continue;
            }
            if (record.IsPartitionEOF || record.Offset.Value + 1 >= ends[record.TopicPartition])
            {
                waiting.Remove(record.TopicPartition);
            }
            if (!record.IsPartitionEOF)
            {
                await onRecord(record).ConfigureAwait(false);
            }
        }
        consumer.Close();
    }
}
