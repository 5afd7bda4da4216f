using Confluent.Kafka;

namespace OmniStream.Kafka;

/// <summary>Reads every partition of a topic from its beginning up to its end as of the call, committing nothing.</summary>
public static class TopicToEnd
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Calls <paramref name="onRecord"/> for each record of <paramref name="topic"/>, partition by partition in offset order.</summary>
    public static async Task ReadAsync(KafkaOptions kafka, string topic, string clientId, Func<ConsumeResult<byte[], byte[]>, Task> onRecord, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        var config = KafkaClientConfigs.Consumer(kafka, clientId, clientId);
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(kafka)).Build();
        var partitions = admin.GetMetadata(topic, Timeout).Topics.Single().Partitions
            .Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p, Timeout).High.Value);
        var open = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        consumer.Assign(partitions.Where(p => open.Contains(p.Partition.Value)).Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        while (open.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } record)
            {
                continue;
            }
            if (record.IsPartitionEOF || record.Offset.Value + 1 >= ends[record.Partition.Value])
            {
                open.Remove(record.Partition.Value);
            }
            if (!record.IsPartitionEOF)
            {
                await onRecord(record).ConfigureAwait(false);
            }
        }
        consumer.Close();
    }
}
