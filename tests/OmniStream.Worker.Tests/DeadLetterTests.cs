using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Streaming.DeadLetters;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

public class DeadLetterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_malformed_record_in_any_topic_the_worker_reads_is_set_aside_untouched_with_its_reason_and_the_worker_goes_on()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMilliseconds(300));
        var run = Guid.NewGuid().ToString("N")[..8];
        // Every channel's interactions topic (stage ingest) and the two repartition topics (stages identity and customers).
        var topics = TopicCatalog.AllInteractions.Select(t => t.Name)
            .Append(WorkerTopology.IdentityInput(worker.ApplicationId)).Append(WorkerTopology.CustomersInput(worker.ApplicationId)).ToList();
        var garbage = topics.ToDictionary(topic => $"garbage-{run}-{topic}", topic => (Topic: topic, Value: Encoding.UTF8.GetBytes($"{{\"not\":\"avro\",\"topic\":\"{topic}\"}}")));
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build())
        {
            foreach (var (key, (topic, value)) in garbage)
            {
                await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = value });
            }
        }
        var anna = new Interactions("anna-" + run, DateTime.UtcNow);
        await worker.GrantMarketingAsync(anna);
        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));

        using var deadLetters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.DeadLetter.Name]);
        var letters = await deadLetters.ReadUntilAsync(r => garbage.Keys.All(key => r.Any(d => Encoding.UTF8.GetString(d.Message.Key) == key)),
            Deadline, $"{garbage.Count} dead letters, one per topic");
        using var actions = new TopicReader(KafkaFixture.Cluster.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name));
        await actions.ReadUntilAsync(r => r.Any(a => Encoding.UTF8.GetString(a.Message.Key) == anna.CustomerId), Deadline, "a reminder after the bad records");

        Assert.Multiple(() =>
        {
            foreach (var (key, (topic, value)) in garbage)
            {
                var letter = letters.Single(d => Encoding.UTF8.GetString(d.Message.Key) == key).Message;
                Assert.That(letter.Value, Is.EqualTo(value), topic);
                Assert.That(Header(letter, DeadLetterHeaders.SourceTopic), Is.EqualTo(topic));
                Assert.That(Header(letter, DeadLetterHeaders.ErrorClass), Does.EndWith("AvroDecodeException"), topic);
                Assert.That(Header(letter, DeadLetterHeaders.ErrorMessage), Does.StartWith("UnknownFormat"), topic);
                Assert.That(long.Parse(Header(letter, DeadLetterHeaders.SourceOffset)), Is.GreaterThanOrEqualTo(0), topic);
            }
        });
    }

    private static string Header(Message<byte[], byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));
}
