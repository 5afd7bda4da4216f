using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using OmniStream.Kafka;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Streaming.Telemetry;
using OmniStream.Testing;
using OmniStream.Testing.Kafka;

namespace OmniStream.Streaming.Tests.Tasks;

/// <summary>
/// Static membership (<see cref="StreamOptions.StaticMembership"/>): an instance that restarts within its session takes its
/// own partitions back at once, before the session its former self held would expire (a dynamic member's partitions wait for
/// that expiry on the embedded brokers, or for a rebalance on Kafka's), and the other instance keeps its own throughout.
/// </summary>
public class StaticMembershipTests
{
    private const int Partitions = 4;
    // Long enough for an engine to stop and start again; the embedded brokers hold a member that left for as long.
    private const int SessionMs = 10_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string[] Keys = ["anna", "bob", "chen", "dina", "emil", "fatou", "gus", "hana"];
    private readonly List<string> _stateDirectories = [];

    [TearDown]
    public void DeleteState() => _stateDirectories.ForEach(RocksDbStore.Wipe);

    [Test]
    public async Task A_restarted_instance_takes_its_partitions_back_within_its_session_and_the_other_keeps_its_own()
    {
        if (KafkaFixture.Cluster.Embedded is not null)
        {
            Assert.Ignore("the embedded brokers (librdkafka's mock) do not implement static membership: they know a rejoining member by its member id "
                + "only, so a restart is a new member that waits for its former self's session; runs on Kafka brokers (OMNISTREAM_KAFKA_BOOTSTRAP or Testcontainers)");
        }
        const bool staticMembership = true;
        var id = Guid.NewGuid().ToString("N")[..8];
        var (app, input, output) = ($"static-{id}", $"static-in-{id}", $"static-out-{id}");
        await KafkaFixture.Cluster.CreateTopicAsync(input, Partitions);
        await KafkaFixture.Cluster.CreateTopicAsync(output, Partitions);
        await KafkaFixture.Cluster.CreateTopicAsync($"{app}-dlq", 1);
        foreach (var changelog in ChangelogTopics.Specs(app, [CountingHandler.Store, StreamEngine.PositionsStore("count")], Partitions))
        {
            await KafkaFixture.Cluster.CreateTopicAsync(changelog.Name, changelog.Partitions);
        }
        Produce(input);

        await using var other = new RunningEngine(Engine(app, input, output, "b", staticMembership));
        IReadOnlyList<TopicPartition> before;
        await using (var first = new RunningEngine(Engine(app, input, output, "a", staticMembership)))
        {
            await Wait.UntilAsync(() => first.Engine.AssignedPartitions > 0 && other.Engine.AssignedPartitions > 0
                && first.Engine.AssignedPartitions + other.Engine.AssignedPartitions == Partitions, Deadline, "the partitions shared by both instances");
            await WaitForCountsAsync(output, 1);
            before = first.Engine.OwnedPartitions;
        }
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        var kept = other.Engine.OwnedPartitions;

        // Watches the other instance while the first comes back: a rebalance that moved partitions would show.
        var moved = false;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                moved |= other.Engine.AssignedPartitions != kept.Count;
                await Task.Delay(10, CancellationToken.None);
            }
        });
        await using (var again = new RunningEngine(Engine(app, input, output, "a", staticMembership)))
        {
            await Wait.UntilAsync(() => again.Engine.AssignedPartitions == before.Count, Deadline, "the restarted instance owning partitions");
            var back = stopped.Elapsed;
            Assert.That(again.Engine.OwnedPartitions, Is.EquivalentTo(before), "its own partitions back");
            Assert.That(back, Is.LessThan(TimeSpan.FromMilliseconds(SessionMs)), "back before its former self's session would have expired: no wait for a rebalance");
            Produce(input);
            await WaitForCountsAsync(output, 2);
        }
        await watching.CancelAsync();
        await watcher;
        Assert.That(moved, Is.False, "the other instance kept its partitions throughout");
        Assert.That(other.Engine.OwnedPartitions, Is.EquivalentTo(kept));
    }

    private StreamEngine Engine(string app, string input, string output, string instance, bool staticMembership)
    {
        var kafka = new KafkaOptions { BootstrapServers = KafkaFixture.Cluster.BootstrapServers };
        kafka.Consumer["session.timeout.ms"] = $"{SessionMs}";
        kafka.Consumer["heartbeat.interval.ms"] = $"{SessionMs / 10}";
        var state = Path.Combine(Path.GetTempPath(), $"omnistream-static-{app}-{instance}");
        _stateDirectories.Add(state);
        var options = new StreamOptions
        {
            ApplicationId = app, DeadLetterTopic = $"{app}-dlq", StateDirectory = state, InstanceId = instance, StaticMembership = staticMembership,
        };
        return new StreamEngine(kafka, options, new CountingHandler(input, output),
            new StoreRestorer(kafka, NullLogger<StoreRestorer>.Instance), new StreamingMetrics(), NullLogger<StreamEngine>.Instance, TimeProvider.System);
    }

    private static void Produce(string input)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = KafkaFixture.Cluster.BootstrapServers, EnableIdempotence = true, Partitioner = Partitioner.Murmur2Random,
        }).Build();
        foreach (var key in Keys)
        {
            producer.Produce(input, new Message<string, string> { Key = key, Value = "x" });
        }
        producer.Flush(Deadline);
    }

    private static async Task WaitForCountsAsync(string output, int count)
    {
        using var reader = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [output]);
        var finals = Keys.Select(k => $"{k}={count}").ToHashSet();
        await reader.ReadUntilAsync(r => finals.IsSubsetOf(r.Select(x => Encoding.UTF8.GetString(x.Message.Value))), Deadline, $"every key counted to {count}");
    }
}
