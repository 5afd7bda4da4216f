using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Streaming.DeadLetters;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;

namespace OmniStream.Worker.Tests;

public class DeadLetterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_malformed_interaction_is_set_aside_untouched_with_its_reason_and_the_worker_goes_on()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMilliseconds(300));
        var key = "garbage-" + Guid.NewGuid().ToString("N")[..8];
        var garbage = "{\"not\":\"avro\"}"u8.ToArray();
        var webTopic = TopicCatalog.Interactions(Channel.WEB).Name;
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(webTopic, new Message<string, byte[]> { Key = key, Value = garbage });
        }
        var anna = new Interactions("anna-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));

        using var deadLetters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.DeadLetter.Name]);
        var letters = await deadLetters.ReadUntilAsync(r => r.Any(d => Encoding.UTF8.GetString(d.Message.Key) == key), Deadline, "the dead letter");
        using var actions = new TopicReader(KafkaFixture.Cluster.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name));
        await actions.ReadUntilAsync(r => r.Any(a => Encoding.UTF8.GetString(a.Message.Key) == anna.CustomerId), Deadline, "a reminder after the bad record");

        var letter = letters.Single(d => Encoding.UTF8.GetString(d.Message.Key) == key).Message;
        Assert.That(letter.Value, Is.EqualTo(garbage));
        Assert.That(Header(letter, DeadLetterHeaders.SourceTopic), Is.EqualTo(webTopic));
        Assert.That(Header(letter, DeadLetterHeaders.ErrorClass), Does.EndWith("AvroDecodeException"));
        Assert.That(Header(letter, DeadLetterHeaders.ErrorMessage), Does.StartWith("UnknownFormat"));
        Assert.That(long.Parse(Header(letter, DeadLetterHeaders.SourceOffset)), Is.GreaterThanOrEqualTo(0));
    }

    private static string Header(Message<byte[], byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));
}
