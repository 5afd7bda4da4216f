using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Streaming.DeadLetters;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.State;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

public class UnreadableStateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_corrupted_record_in_the_customers_changelog_is_set_aside_and_its_customer_starts_afresh()
    {
        var app = "unreadable-" + Guid.NewGuid().ToString("N")[..8];
        var state = Path.Combine(Path.GetTempPath(), "omnistream-unreadable-" + Guid.NewGuid().ToString("N"));
        await KafkaFixture.Cluster.TopicAdmin.ApplyAsync(WorkerTopology.InternalTopics(app));
        var anna = new Interactions("anna-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        var key = Encoding.UTF8.GetBytes(anna.CustomerId);
        var corrupted = "{\"v\":1,\"customerId\":"u8.ToArray();
        var changelog = new TopicPartition(ChangelogTopics.For(app, WorkerTopology.CustomersStore), KeyPartitioner.Partition(key, WorkerTopology.Partitions));
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(changelog, new Message<byte[], byte[]> { Key = key, Value = corrupted });
        }

        // The worker restores the corrupted state into its store, then reads it on Anna's next event.
        await using var worker = await WorkerHarness.StartAsync(TimeSpan.FromMilliseconds(300), KafkaFixture.Cluster, app, state);
        await worker.GrantMarketingAsync(anna);
        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));

        using var deadLetters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.DeadLetter.Name]);
        var letters = await deadLetters.ReadUntilAsync(r => r.Any(d => d.Message.Key.SequenceEqual(key)), Deadline, "the set-aside state");
        using var actions = new TopicReader(KafkaFixture.Cluster.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name));
        await actions.ReadUntilAsync(r => r.Any(a => a.Message.Key.SequenceEqual(key)), Deadline, "a reminder for the fresh state");

        var letter = letters.Single(d => d.Message.Key.SequenceEqual(key)).Message;
        Assert.That(letter.Value, Is.EqualTo(corrupted));
        Assert.That(Encoding.UTF8.GetString(letter.Headers.GetLastBytes(DeadLetterHeaders.SourceTopic)), Is.EqualTo(changelog.Topic));
        Assert.That(Encoding.UTF8.GetString(letter.Headers.GetLastBytes(DeadLetterHeaders.ErrorClass)), Does.EndWith("JsonException"));
    }
}
