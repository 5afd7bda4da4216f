using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using OmniStream.Streaming.Hosting;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Streaming.Telemetry;
using OmniStream.Testing;
using OmniStream.Testing.Kafka;

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

        var middleStage = new ProbeHandler("middle", middle, last, waitsForUpstream: true);
        var lastStage = new ProbeHandler("last", last, null, waitsForUpstream: true);
        var control = new ProbeHandler("control", last, null, waitsForUpstream: false);
        await using var runningMiddle = Run(app, middleStage);
        await using var runningLast = Run(app, lastStage);
        await using var runningControl = Run(app, control);

        await Wait.UntilAsync(() => lastStage.Records >= 10 && control.Records >= 10, Deadline, "the last and control stages reading what the middle stage forwarded");
        // The control stage reads the same records and ticks: the last stage would too, were it not waiting.
        var ticksBefore = control.Ticks;
        await Wait.UntilAsync(() => control.Ticks > ticksBefore + 20, Deadline, "the control stage ticking 20 more times");
        Assert.That(middleStage.Ticks, Is.Zero, "the middle stage waits for the first stage, which is not running");
        Assert.That(lastStage.Ticks, Is.Zero, "the last stage waits for the first stage too, through the middle stage's watermarks");

        await using var runningFirst = Run(app, new ProbeHandler("first", input, middle, waitsForUpstream: false));
        await Wait.UntilAsync(() => middleStage.Ticks > 0 && lastStage.Ticks > 0, Deadline, "both later stages ticking once the first stage reports");
    }

    private static RunningEngine Run(string app, ProbeHandler handler)
    {
        var state = Path.Combine(Path.GetTempPath(), "omnistream-flow-" + Guid.NewGuid().ToString("N"));
        var kafka = new KafkaOptions { BootstrapServers = KafkaFixture.Cluster.BootstrapServers };
        var options = new StreamOptions { ApplicationId = app, DeadLetterTopic = $"{app}-dlq", StateDirectory = state, InstanceId = handler.Stage };
        var engine = new StreamEngine(kafka, options, handler, new StoreRestorer(kafka, NullLogger<StoreRestorer>.Instance),
            new StreamingMetrics(), NullLogger<StreamEngine>.Instance, TimeProvider.System);
        return new RunningEngine(engine, state);
    }
}
