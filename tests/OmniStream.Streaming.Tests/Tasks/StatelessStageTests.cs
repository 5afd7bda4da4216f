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

/// <summary>The engine with a stateless toy stage, under both guarantees, on a real cluster.</summary>
public class StatelessStageTests
{
    private static IKafkaTestCluster Cluster => KafkaFixture.Cluster;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly List<string> _stateDirectories = [];

    [TearDown]
    public void DeleteState() => _stateDirectories.ForEach(RocksDbStore.Wipe);

    [TestCase(ProcessingGuarantee.ExactlyOnce)]
    [TestCase(ProcessingGuarantee.AtLeastOnce)]
    public async Task Records_are_handled_failures_dead_lettered_transient_ones_retried_and_ticks_emitted(ProcessingGuarantee guarantee)
    {
        var (app, input, output) = await CreateTopicsAsync(inputPartitions: 2);
        var deadLetters = $"{app}-dlq";
        await Cluster.CreateTopicAsync(deadLetters, partitions: 2);
        using var metrics = new StreamingMetrics();
        var engine = CreateEngine(app, input, output, guarantee, deadLetters, metrics);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => engine.RunAsync(stop.Token));
        await Wait.UntilAsync(() => engine.AssignedPartitions == 2 || running.IsFaulted, Deadline, "the engine to join its group");

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            foreach (var value in new[] { "a", "boom", "flaky", "timer", "b" })
            {
                await producer.ProduceAsync(input, new Message<string, string> { Key = "k", Value = value });
            }
        }
        using var outputs = new TopicReader(Cluster.BootstrapServers, [output]);
        using var letters = new TopicReader(Cluster.BootstrapServers, [deadLetters]);
        var produced = await outputs.ReadUntilAsync(r => r.Count >= 5, Deadline, "4 handled records and a tick");
        var dead = await letters.ReadUntilAsync(r => r.Count >= 1, Deadline, "the dead letter");
        await stop.CancelAsync();
        await running;

        Assert.That(produced.Select(r => Encoding.UTF8.GetString(r.Message.Value)), Is.EqualTo(new[] { "A", "FLAKY", "TIMER", "tick", "B" }).Or.EqualTo(new[] { "A", "FLAKY", "TIMER", "B", "tick" }));
        Assert.That(dead, Has.Count.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(dead[0].Message.Value), Is.EqualTo("boom"));
        Assert.That(Encoding.UTF8.GetString(dead[0].Message.Headers.GetLastBytes(DeadLetterHeaders.ErrorMessage)), Is.EqualTo("the toy handler refuses 'boom'"));
    }

    [Test]
    public async Task An_at_least_once_engine_stopped_has_committed_its_group_offsets()
    {
        var (app, input, output) = await CreateTopicsAsync(inputPartitions: 1);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(input, new Message<string, string> { Key = "k", Value = $"v{i}" });
            }
        }
        using var metrics = new StreamingMetrics();
        var engine = CreateEngine(app, input, output, ProcessingGuarantee.AtLeastOnce, output, metrics);
        using var outputs = new TopicReader(Cluster.BootstrapServers, [output]);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => engine.RunAsync(stop.Token));
        await outputs.ReadUntilAsync(r => r.Count >= 10, Deadline, "10 outputs");
        await stop.CancelAsync();
        await running;

        using var admin = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Cluster.BootstrapServers, GroupId = StreamEngine.GroupId(app, "toy") }).Build();
        var committed = admin.Committed([new TopicPartition(input, 0)], TimeSpan.FromSeconds(10));

        Assert.That(committed.Single().Offset.Value, Is.EqualTo(10));
    }

    [Test]
    public async Task What_a_stage_gathers_in_memory_is_sent_with_the_commit_once()
    {
        var (app, input, output) = await CreateTopicsAsync(inputPartitions: 2);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 50; i++)
            {
                producer.Produce(input, new Message<string, string> { Key = $"k{i}", Value = "x" });
            }
            producer.Flush(Deadline);
        }
        using var metrics = new StreamingMetrics();
        using var outputs = new TopicReader(Cluster.BootstrapServers, [output]);
        for (var run = 0; run < 2; run++)
        {
            // The second run starts from the committed positions: it has nothing to tally.
            var engine = CreateEngine(app, input, output, ProcessingGuarantee.ExactlyOnce, output, metrics, new TallyHandler(input, output));
            using var stop = new CancellationTokenSource();
            var running = Task.Run(() => engine.RunAsync(stop.Token));
            await Wait.UntilAsync(() => engine.AssignedPartitions == 2 || running.IsFaulted, Deadline, "the engine to join its group");
            if (run == 0)
            {
                await outputs.ReadUntilAsync(r => r.Sum(Tallied) >= 50, Deadline, "tallies of 50 records");
            }
            await stop.CancelAsync();
            await running;
        }
        var tallies = await outputs.ReadToEndAsync(Deadline);

        Assert.That(tallies.Sum(Tallied), Is.EqualTo(50), "every record tallied once, across a restart");
        Assert.That(tallies, Has.Count.LessThan(50), "tallies are sent per commit, not per record");
    }

    private static int Tallied(ConsumeResult<byte[], byte[]> record) => int.Parse(Encoding.UTF8.GetString(record.Message.Value).Split(':')[1]);

    private static async Task<(string App, string Input, string Output)> CreateTopicsAsync(int inputPartitions)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (app, input, output) = ($"toy-{id}", $"toy-in-{id}", $"toy-out-{id}");
        await Cluster.CreateTopicAsync(input, inputPartitions);
        // One partition: the order read is the order produced, whatever the keys.
        await Cluster.CreateTopicAsync(output, partitions: 1);
        await Cluster.CreateTopicAsync(ChangelogTopics.For(app, StreamEngine.PositionsStore("toy")), inputPartitions);
        return (app, input, output);
    }

    private StreamEngine CreateEngine(string app, string input, string output, ProcessingGuarantee guarantee, string deadLetters, StreamingMetrics metrics,
        IStreamHandler? handler = null)
    {
        var state = Path.Combine(Path.GetTempPath(), "omnistream-toy-" + Guid.NewGuid().ToString("N"));
        _stateDirectories.Add(state);
        var options = new StreamOptions { ApplicationId = app, DeadLetterTopic = deadLetters, Guarantee = guarantee, StateDirectory = state, InstanceId = "test" };
        var kafka = new KafkaOptions { BootstrapServers = Cluster.BootstrapServers };
        // A restart in the same group waits for the previous member's session to time out.
        ShortSessions.Apply(kafka);
        return new StreamEngine(kafka, options, handler ?? new ToyHandler(input, output), new StoreRestorer(kafka, NullLogger<StoreRestorer>.Instance),
            metrics, NullLogger<StreamEngine>.Instance, TimeProvider.System);
    }
}
