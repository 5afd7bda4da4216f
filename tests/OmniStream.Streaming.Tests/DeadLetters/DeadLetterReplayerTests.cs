using System.Text;
using Confluent.Kafka;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Testing.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Tests.DeadLetters;

/// <summary>Replaying dead letters to their source topics on a real cluster.</summary>
public class DeadLetterReplayerTests
{
    private static IKafkaTestCluster Cluster => KafkaFixture.Cluster;

    [Test]
    public async Task Chosen_dead_letters_go_back_to_their_source_untouched_and_the_others_stay()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (web, app, dlq) = ($"web-{id}", $"app-{id}", $"dlq-{id}");
        await Cluster.CreateTopicAsync(web, 1);
        await Cluster.CreateTopicAsync(app, 1);
        await Cluster.CreateTopicAsync(dlq, 2);
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(dlq, DeadLetter.Of(Failed(web, "k-web", [0xC3, 0x01, 9]), new FormatException("bad"), "worker", DateTime.UtcNow));
            await producer.ProduceAsync(dlq, DeadLetter.Of(Failed(app, "k-app", [7]), new FormatException("bad"), "worker", DateTime.UtcNow));
        }
        var replayer = new DeadLetterReplayer(new KafkaOptions { BootstrapServers = Cluster.BootstrapServers });

        var listed = await replayer.ReplayAsync(dlq, letter => letter.SourceTopic == web, dryRun: true);
        var replayed = await replayer.ReplayAsync(dlq, letter => letter.SourceTopic == web, dryRun: false);

        Assert.That(listed.Select(r => (r.Letter.SourceTopic, r.Replayed)), Is.EqualTo(new[] { (web, false) }));
        Assert.That(replayed.Select(r => (r.Letter.SourceTopic, r.Letter.SourceOffset, r.Letter.ErrorClass, r.Replayed)),
            Is.EqualTo(new[] { (web, 5L, "System.FormatException", true) }));
        using var reader = new TopicReader(Cluster.BootstrapServers, [web, app]);
        var back = (await reader.ReadUntilAsync(r => r.Count >= 1, TimeSpan.FromSeconds(30), "the replayed record")).Single();
        Assert.That(back.Topic, Is.EqualTo(web));
        Assert.That(Encoding.UTF8.GetString(back.Message.Key), Is.EqualTo("k-web"));
        Assert.That(back.Message.Value, Is.EqualTo(new byte[] { 0xC3, 0x01, 9 }));
        Assert.That(Encoding.UTF8.GetString(back.Message.Headers.GetLastBytes("traceparent")), Is.EqualTo("00-trace"));
        Assert.That(back.Message.Headers.Select(h => h.Key), Has.None.StartWith("omnistream.dlq.source"));
        Assert.That(back.Message.Headers.Select(h => h.Key), Does.Contain(DeadLetterReplayer.ReplayedFrom));
    }

    private static ConsumeResult<byte[], byte[]> Failed(string topic, string key, byte[] value) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(topic, 0, 5),
        Message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value, Headers = new Headers { { "traceparent", "00-trace"u8.ToArray() } } },
    };
}
