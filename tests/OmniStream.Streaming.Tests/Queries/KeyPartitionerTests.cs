using System.Text;
using Confluent.Kafka;
using OmniStream.Streaming.Queries;
using OmniStream.Testing.Kafka;

namespace OmniStream.Streaming.Tests.Queries;

public class KeyPartitionerTests
{
    [Test]
    public async Task Keys_land_where_the_partitioner_says_when_a_client_uses_murmur2()
    {
        var topic = "partitioner-" + Guid.NewGuid().ToString("N")[..8];
        await KafkaFixture.Cluster.CreateTopicAsync(topic, 7);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = KafkaFixture.Cluster.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();

        var mismatches = new List<string>();
        foreach (var key in Enumerable.Range(0, 200).Select(i => $"customer-{i}").Append("").Append("ü-ñ"))
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            var delivered = await producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = bytes, Value = [1] });
            if (delivered.Partition.Value != KeyPartitioner.Partition(bytes, 7))
            {
                mismatches.Add($"{key}: delivered to {delivered.Partition.Value}, computed {KeyPartitioner.Partition(bytes, 7)}");
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    [TestCase("21", -973932308)]
    [TestCase("foobar", -790332482)]
    [TestCase("a-little-bit-long-string", -985981536)]
    public void Hashes_match_kafkas_own_murmur2_test_values(string key, int murmur2)
    {
        // Kafka's UtilsTest.testMurmur2 values; the partition is toPositive(hash) % partitions.
        Assert.That(KeyPartitioner.Partition(Encoding.UTF8.GetBytes(key), int.MaxValue), Is.EqualTo((murmur2 & 0x7fffffff) % int.MaxValue));
    }
}
