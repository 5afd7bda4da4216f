using Confluent.Kafka;
using static OmniStream.DevCluster.Tests.DevClusterFixture;

namespace OmniStream.DevCluster.Tests;

/// <summary>
/// What the embedded cluster does with transactions (librdkafka 2.16's mock brokers). Pinned here
/// so that a librdkafka upgrade that changes it fails loudly and the workarounds get revisited.
/// </summary>
public class TransactionIsolationTests
{
    [Test]
    public void Read_committed_consumers_also_see_aborted_and_open_transactions_on_the_embedded_cluster()
    {
        var topic = NewTopic(partitions: 1);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, TransactionalId = topic }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        Write(producer, topic, "committed", commit: true);
        Write(producer, topic, "aborted", commit: false);
        producer.BeginTransaction();
        producer.Produce(topic, new Message<string, string> { Key = "k", Value = "open" });
        producer.Flush(TimeSpan.FromSeconds(30));

        var seen = ReadCommitted(topic, expected: 3);
        producer.AbortTransaction(TimeSpan.FromSeconds(30));

        // On Apache Kafka only "committed" would be read. The mock does not isolate transactions.
        Assert.That(seen, Is.EqualTo(new[] { "committed", "aborted", "open" }));
    }

    [Test]
    public void Transactional_group_offsets_are_accepted_but_not_stored_on_the_embedded_cluster()
    {
        var topic = NewTopic(partitions: 1);
        var group = "group-" + topic;
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = Cluster.BootstrapServers, GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
        consumer.Subscribe(topic);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, TransactionalId = topic }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        producer.Produce(topic, new Message<string, string> { Key = "k", Value = "v" });
        while (consumer.Assignment.Count == 0)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        producer.SendOffsetsToTransaction([new TopicPartitionOffset(topic, 0, 1)], consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
        producer.CommitTransaction(TimeSpan.FromSeconds(30));
        var committed = consumer.Committed([new TopicPartition(topic, 0)], TimeSpan.FromSeconds(10)).Single();
        consumer.Close();

        // On Apache Kafka this would be offset 1. OmniStream's engine keeps positions in its own changelog instead.
        Assert.That(committed.Offset, Is.EqualTo(Offset.Unset));
    }

    private static void Write(IProducer<string, string> producer, string topic, string value, bool commit)
    {
        producer.BeginTransaction();
        producer.Produce(topic, new Message<string, string> { Key = "k", Value = value });
        producer.Flush(TimeSpan.FromSeconds(30));
        if (commit)
        {
            producer.CommitTransaction(TimeSpan.FromSeconds(30));
        }
        else
        {
            producer.AbortTransaction(TimeSpan.FromSeconds(30));
        }
    }

    private static List<string> ReadCommitted(string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            GroupId = "reader-" + topic,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        consumer.Subscribe(topic);
        var seen = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (seen.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } record)
            {
                seen.Add(record.Message.Value);
            }
        }
        consumer.Close();
        return seen;
    }
}
