using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Kafka;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Queries;

namespace OmniStream.Worker.Api;

/// <summary>
/// Every action the actions topics still hold for one customer, for an export: the customer's state keeps the latest
/// actions with their outcomes (<c>OmniStream:Customers:Actions</c>), the topics keep every action for their retention
/// (7 days). Reads the customer's partition of each channel's actions topic from its beginning to its end as of the call.
/// </summary>
public sealed class ActionArchive(KafkaOptions kafka, AvroSerde<NextBestAction> serde)
{
    /// <summary>The actions of <paramref name="customerId"/> on the actions topics, oldest first; incomplete when <paramref name="deadline"/> passed first.</summary>
    public async Task<(IReadOnlyList<NextBestAction> Actions, bool Complete)> ReadAsync(string customerId, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var key = Encoding.UTF8.GetBytes(customerId);
        var config = KafkaClientConfigs.Consumer(kafka, "omnistream-export", "omnistream-export");
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var topic in TopicCatalog.AllActions)
        {
            var partition = new TopicPartition(topic.Name, KeyPartitioner.Partition(key, topic.Partitions));
            var high = consumer.QueryWatermarkOffsets(partition, deadline).High.Value;
            if (high > 0)
            {
                ends[partition] = high;
            }
        }
        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var actions = new List<NextBestAction>();
        var until = DateTime.UtcNow + deadline;
        while (ends.Count > 0 && DateTime.UtcNow < until)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } record)
            {
                continue;
            }
            if (record.IsPartitionEOF || record.Offset.Value + 1 >= ends[record.TopicPartition])
            {
                ends.Remove(record.TopicPartition);
            }
            if (!record.IsPartitionEOF && record.Message.Key.AsSpan().SequenceEqual(key))
            {
                try
                {
                    actions.Add(await serde.DeserializeAsync(record.Message.Value, cancellationToken).ConfigureAwait(false));
                }
                catch (AvroDecodeException)
                {
                    // Not an action the worker wrote: nothing of the customer's to export.
                }
            }
        }
        consumer.Close();
        return ([.. actions.OrderBy(a => a.decidedAt)], ends.Count == 0);
    }
}
