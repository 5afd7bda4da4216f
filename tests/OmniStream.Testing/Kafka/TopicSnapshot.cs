using Confluent.Kafka;

namespace OmniStream.Testing.Kafka;

/// <summary>Everything topics hold now: each partition read (read_committed) from its start to its end.</summary>
public static class TopicSnapshot
{
    /// <summary>Reads every partition of <paramref name="topics"/> up to the end it has when the call starts.</summary>
    public static List<ConsumeResult<byte[], byte[]?>> Read(string bootstrapServers, IEnumerable<string> topics, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "test-snapshot-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnableAutoCommit = false,
        }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var metadata = admin.GetMetadata(timeout);
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var topic in topics)
        {
            var partitions = metadata.Topics.Single(t => t.Topic == topic).Partitions;
            foreach (var partition in partitions.Select(p => new TopicPartition(topic, p.PartitionId)))
            {
                var high = consumer.QueryWatermarkOffsets(partition, timeout).High.Value;
                if (high > 0)
                {
                    ends[partition] = high;
                }
            }
        }
        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[], byte[]?>>();
        var deadline = DateTime.UtcNow + timeout;
        var open = new HashSet<TopicPartition>(ends.Keys);
        while (open.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                NUnit.Framework.Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s reading {string.Join(", ", open)} to their end");
            }
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } record)
            {
                records.Add(record);
            }
            open.RemoveWhere(p => consumer.Position(p).Value >= ends[p]);
        }
        consumer.Close();
        return records;
    }
}
