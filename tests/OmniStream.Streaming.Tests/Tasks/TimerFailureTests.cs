using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Streaming.Telemetry;
using OmniStream.Testing;
using OmniStream.Testing.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Tests.Tasks;

public class TimerFailureTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_timer_that_throws_is_set_aside_on_the_dead_letter_topic_and_the_stage_runs_on()
    {
        var app = "timers-" + Guid.NewGuid().ToString("N")[..8];
        var (input, output, deadLetters) = ($"{app}-in", $"{app}-out", $"{app}-dlq");
        foreach (var topic in new[] { input, output, deadLetters, ChangelogTopics.For(app, TimerHandler.TimersStore), ChangelogTopics.For(app, TimerHandler.ArmedStore), ChangelogTopics.For(app, StreamEngine.PositionsStore("toy")) })
        {
            await KafkaFixture.Cluster.CreateTopicAsync(topic, partitions: 1);
        }
        var state = Path.Combine(Path.GetTempPath(), "omnistream-timers-" + Guid.NewGuid().ToString("N"));
        var kafka = new KafkaOptions { BootstrapServers = KafkaFixture.Cluster.BootstrapServers };
        using var metrics = new StreamingMetrics();
        var engine = new StreamEngine(kafka, new StreamOptions { ApplicationId = app, DeadLetterTopic = deadLetters, StateDirectory = state, InstanceId = "test" },
            new TimerHandler(input, output), new StoreRestorer(kafka, NullLogger<StoreRestorer>.Instance), metrics, NullLogger<StreamEngine>.Instance, TimeProvider.System);
        await using (var running = new RunningEngine(engine, state))
        {
            await Wait.UntilAsync(() => engine.AssignedPartitions == 1, Deadline, "the engine to join its group");
            using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build())
            {
                foreach (var key in new[] { "good-1", "bad", "good-2" })
                {
                    await producer.ProduceAsync(input, new Message<string, string> { Key = key, Value = key });
                }
            }
            using var outputs = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [output]);
            using var letters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [deadLetters]);
            var fired = await outputs.ReadUntilAsync(r => r.Count >= 2, Deadline, "the two good timers");
            var dead = await letters.ReadUntilAsync(r => r.Count >= 1, Deadline, "the bad timer set aside");

            Assert.That(engine.Status, Is.EqualTo(StageStatus.Running));
            Assert.That(fired.Select(r => Encoding.UTF8.GetString(r.Message.Value)), Is.EquivalentTo(new[] { "fired:good-1", "fired:good-2" }));
            Assert.That(Encoding.UTF8.GetString(dead[0].Message.Key), Is.EqualTo("bad"));
            Assert.That(dead[0].Message.Value, Has.Length.EqualTo(8), "the due time, as ticks");
            Assert.That(Header(dead[0], DeadLetterHeaders.SourceTopic), Is.EqualTo(ChangelogTopics.For(app, TimerHandler.TimersStore)));
            Assert.That(Header(dead[0], DeadLetterHeaders.ErrorMessage), Is.EqualTo("the timer of 'bad' cannot fire"));
            Assert.That(DeadLetterRecord.From(dead[0])!.IsReplayable, Is.False, "never replayed into a changelog");
        }
    }

    private static string Header(ConsumeResult<byte[], byte[]> record, string name) => Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
}
