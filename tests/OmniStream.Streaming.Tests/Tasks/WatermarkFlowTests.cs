using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Streaming.Telemetry;
using OmniStream.Testing;
using OmniStream.Testing.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>Three chained stages, first → middle → last: timers two stages down wait for the first stage's progress.</summary>
public class WatermarkFlowTests
{
    private const int Partitions = 2;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Timers_wait_until_every_stage_upstream_has_reported_and_then_run()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (app, input, middle, last) = ($"flow-{id}", $"flow-in-{id}", $"flow-mid-{id}", $"flow-last-{id}");
        foreach (var topic in new[] { input, middle, last })
        {
            await KafkaFixture.Cluster.CreateTopicAsync(topic, Partitions);
        }
        foreach (var stage in new[] { "first", "middle", "last", "control" })
        {
            await KafkaFixture.Cluster.CreateTopicAsync(ChangelogTopics.For(app, StreamEngine.PositionsStore(stage)), Partitions);
        }
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build())
        {
            // Records in the middle topic, as if the first stage had forwarded them before it stopped.
            for (var i = 0; i < 10; i++)
            {
                producer.Produce(middle, new Message<string, string> { Key = $"k{i}", Value = "x" });
            }
            producer.Flush(Deadline);
        }

        var middleStage = new ProbeHandler("middle", middle, last, "first");
        var lastStage = new ProbeHandler("last", last, null, "middle");
        var control = new ProbeHandler("control", last, null);
        await using var runningMiddle = Run(app, middleStage);
        await using var runningLast = Run(app, lastStage);
        await using var runningControl = Run(app, control);

        await Wait.UntilAsync(() => lastStage.Records >= 10 && control.Records >= 10, Deadline, "the last and control stages reading what the middle stage forwarded");
        // The control stage reads the same records and ticks: the last stage would too, were it not waiting.
        var ticksBefore = control.Ticks;
        await Wait.UntilAsync(() => control.Ticks > ticksBefore + 20, Deadline, "the control stage ticking 20 more times");
        Assert.That(middleStage.Ticks, Is.Zero, "the middle stage waits for the first stage, which is not running");
        Assert.That(lastStage.Ticks, Is.Zero, "the last stage waits for the first stage too, through the middle stage's watermarks");

        await using var runningFirst = Run(app, new ProbeHandler("first", input, middle));
        await Wait.UntilAsync(() => middleStage.Ticks > 0 && lastStage.Ticks > 0, Deadline, "both later stages ticking once the first stage reports");
    }

    [Test]
    public async Task A_stage_fed_by_two_stages_runs_its_timers_only_once_both_report()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (app, left, right, joined) = ($"two-{id}", $"two-left-{id}", $"two-right-{id}", $"two-joined-{id}");
        foreach (var topic in new[] { left, right, joined })
        {
            await KafkaFixture.Cluster.CreateTopicAsync(topic, Partitions);
        }
        foreach (var stage in new[] { "left", "right", "joined" })
        {
            await KafkaFixture.Cluster.CreateTopicAsync(ChangelogTopics.For(app, StreamEngine.PositionsStore(stage)), Partitions);
        }
        var joinedStage = new ProbeHandler("joined", joined, null, "left", "right");
        await using var runningJoined = Run(app, joinedStage);
        await using var runningLeft = Run(app, new ProbeHandler("left", left, joined));
        // A stage that reads the same topic and waits for the left stage alone: it ticks on the left stage's word.
        var leftOnly = new ProbeHandler("left-only", joined, null, "left");
        await KafkaFixture.Cluster.CreateTopicAsync(ChangelogTopics.For(app, StreamEngine.PositionsStore("left-only")), Partitions);
        await using var runningLeftOnly = Run(app, leftOnly);

        await Wait.UntilAsync(() => leftOnly.Ticks > 20, Deadline, "the stage waiting for the left stage alone ticking");
        Assert.That(joinedStage.Ticks, Is.Zero, "the stage fed by both waits for the right stage, which is not running");

        await using var runningRight = Run(app, new ProbeHandler("right", right, joined));
        await Wait.UntilAsync(() => joinedStage.Ticks > 0, Deadline, "the stage fed by both ticking once the right stage reports too");
    }

    [Test]
    public async Task A_stage_restarted_at_the_end_of_an_input_that_stays_quiet_still_runs_its_timers()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (app, input) = ($"quiet-{id}", $"quiet-in-{id}");
        await KafkaFixture.Cluster.CreateTopicAsync(input, Partitions);
        await KafkaFixture.Cluster.CreateTopicAsync(ChangelogTopics.For(app, StreamEngine.PositionsStore("quiet")), Partitions);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                producer.Produce(new TopicPartition(input, i % Partitions), new Message<string, string> { Key = $"k{i}", Value = "x" });
            }
            producer.Flush(Deadline);
        }
        var before = new ProbeHandler("quiet", input, null);
        await using (Run(app, before))
        {
            await Wait.UntilAsync(() => before.Records >= 20, Deadline, "the stage reading the input");
        }

        // Restarted from its stored positions, at the end of both partitions, and nothing more comes.
        var after = new ProbeHandler("quiet", input, null);
        await using var running = Run(app, after);

        await Wait.UntilAsync(() => after.Ticks > 0, Deadline, "the restarted stage ticking by the wall clock, having nothing to read");
        Assert.That(after.Records, Is.Zero, "it resumed at the end, reading nothing twice");
    }

    [Test]
    public async Task A_stage_with_nothing_to_forward_reports_its_progress_every_idle_interval_not_at_every_commit()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (app, input, output) = ($"idle-{id}", $"idle-in-{id}", $"idle-out-{id}");
        await KafkaFixture.Cluster.CreateTopicAsync(input, Partitions);
        await KafkaFixture.Cluster.CreateTopicAsync(output, Partitions);
        await KafkaFixture.Cluster.CreateTopicAsync(ChangelogTopics.For(app, StreamEngine.PositionsStore("idle")), Partitions);
        var interval = TimeSpan.FromMilliseconds(500);
        await using var running = Run(app, new ProbeHandler("idle", input, output), idleWatermarks: interval);
        using var reader = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers, GroupId = $"{app}-reader" }).Build();
        long Written() => Enumerable.Range(0, Partitions).Sum(p => reader.QueryWatermarkOffsets(new TopicPartition(output, p), Deadline).High.Value);
        await Wait.UntilAsync(() => Written() >= Partitions, Deadline, "the stage's first watermarks");

        var (before, clock) = (Written(), System.Diagnostics.Stopwatch.StartNew());
        await Task.Delay(TimeSpan.FromSeconds(3)); // the window the records are counted over, not a wait for something to happen
        var (written, elapsed) = (Written() - before, clock.Elapsed);

        // Each watermark takes two offsets of a partition: the record and its transaction's commit marker. At every commit
        // (25 ms) that would be about 240 offsets a partition; one watermark every 500 ms is 12, give or take two (and at
        // least half as many on a busy machine, whose commits come later).
        var (least, most) = (elapsed / interval / 2 * 2 * Partitions, (elapsed / interval + 2) * 2 * Partitions);
        Assert.That(written, Is.InRange((long)least, (long)most), $"offsets written over {elapsed.TotalSeconds:0.0} s");
    }

    private static RunningEngine Run(string app, ProbeHandler handler, TimeSpan? idleWatermarks = null)
    {
        var state = Path.Combine(Path.GetTempPath(), "omnistream-flow-" + Guid.NewGuid().ToString("N"));
        var kafka = new KafkaOptions { BootstrapServers = KafkaFixture.Cluster.BootstrapServers };
        // The embedded brokers keep a member that left until its session times out (45 s by default): a restart rejoins sooner.
        ShortSessions.Apply(kafka);
        var options = new StreamOptions { ApplicationId = app, DeadLetterTopic = $"{app}-dlq", StateDirectory = state, InstanceId = handler.Stage };
        options.IdleWatermarkInterval = idleWatermarks ?? options.IdleWatermarkInterval;
        var engine = new StreamEngine(kafka, options, handler, new StoreRestorer(kafka, NullLogger<StoreRestorer>.Instance),
            new StreamingMetrics(), NullLogger<StreamEngine>.Instance, TimeProvider.System);
        return new RunningEngine(engine, state);
    }
}
