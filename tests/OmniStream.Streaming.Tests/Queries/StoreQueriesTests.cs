using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Streaming.Telemetry;
using OmniStream.Streaming.Tests.Tasks;
using OmniStream.Testing;
using OmniStream.Testing.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Tests.Queries;

/// <summary>
/// Two instances of a counting stage: each key is found on the instance that owns it, and only there; the
/// instance that gave partitions away keeps their state directories no longer than the cleanup delay.
/// </summary>
public class StoreQueriesTests
{
    private const int Partitions = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string[] Keys = ["anna", "bob", "chen", "dina", "emil", "fay", "gus", "hana"];
    private static readonly byte[] SealKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    [Test]
    public async Task A_key_is_read_on_the_instance_that_owns_it_and_located_from_the_other()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (app, input, output) = ($"query-{id}", $"query-in-{id}", $"query-out-{id}");
        var cluster = KafkaFixture.Cluster;
        await cluster.CreateTopicAsync(input, Partitions);
        await cluster.CreateTopicAsync(output, Partitions);
        await cluster.CreateTopicAsync($"{app}-dlq", 1);
        await cluster.CreateTopicAsync(InstanceDirectory.Spec(app).Name, 1);
        foreach (var changelog in ChangelogTopics.Specs(app, [CountingHandler.Store, StreamEngine.PositionsStore("count")], Partitions))
        {
            await cluster.CreateTopicAsync(changelog.Name, changelog.Partitions);
        }
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
        foreach (var (key, times) in Keys.Select((k, i) => (k, i + 1)))
        {
            for (var i = 0; i < times; i++)
            {
                producer.Produce(input, new Message<string, string> { Key = key, Value = "x" });
            }
        }
        producer.Flush(Deadline);

        await using var a = Instance.Start(app, input, output, "a");
        await Wait.UntilAsync(() => a.Engine.AssignedPartitions == Partitions, Deadline, "the first instance owning every partition");
        await using var b = Instance.Start(app, input, output, "b");
        await Wait.UntilAsync(() => a.Engine.AssignedPartitions > 0 && b.Engine.AssignedPartitions > 0
                                    && a.Engine.AssignedPartitions + b.Engine.AssignedPartitions == Partitions, Deadline, "both instances owning partitions");
        await Wait.UntilAsync(() => Task.FromResult(a.TaskDirectories().SetEquals(a.Engine.OwnedPartitions.Select(p => $"{p.Topic}-{p.Partition.Value}"))), Deadline,
            () => $"the first instance's directories of the partitions it gave away deleted (it has {string.Join(", ", a.TaskDirectories())})");
        await Wait.UntilAsync(() => Keys.Select((k, i) => (k, i + 1)).All(e => CountOn(a, e.k) == e.Item2 || CountOn(b, e.k) == e.Item2),
            Deadline, "every key counted and committed on its owner");
        await Wait.UntilAsync(() => Keys.All(k => Agree(a.Queries.Locate("count", Key(k)), b.Queries.Locate("count", Key(k)))),
            Deadline, "both directories agreeing on every key's owner");

        Assert.Multiple(() =>
        {
            foreach (var (key, count) in Keys.Select((k, i) => (k, i + 1)))
            {
                var (owner, other) = a.Queries.Locate("count", Key(key)).IsLocal ? (a, b) : (b, a);
                var seenFromOther = other.Queries.Locate("count", Key(key));
                Assert.That(seenFromOther.Instance, Is.EqualTo(owner.Name), key);
                Assert.That(seenFromOther.Endpoint, Is.EqualTo($"http://{owner.Name}:8080"), key);
                Assert.That(owner.Queries.TryGetLocal("count", CountingHandler.Store, Key(key), out var value), Is.True, key);
                Assert.That(BitConverter.ToInt64(value), Is.EqualTo(count), key);
                Assert.That(other.Queries.TryGetLocal("count", CountingHandler.Store, Key(key), out _), Is.False, key);
            }
            Assert.That(a.Queries.TryGetLocal("count", CountingHandler.Store, Key("nobody"), out var none) || b.Queries.TryGetLocal("count", CountingHandler.Store, Key("nobody"), out none), Is.True);
            Assert.That(none, Is.Null, "an unknown key on its owner");
        });
    }

    private static byte[] Key(string key) => Encoding.UTF8.GetBytes(key);

    private static bool Agree(KeyLocation fromA, KeyLocation fromB) =>
        fromA.Instance is not null && fromA.Instance == fromB.Instance && fromA.IsLocal != fromB.IsLocal && fromA.Partition == fromB.Partition;

    private static long? CountOn(Instance instance, string key) =>
        instance.Queries.TryGetLocal("count", CountingHandler.Store, Key(key), out var value) && value is not null ? BitConverter.ToInt64(value) : null;

    /// <summary>One instance: its engine and directory running, its queries.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private readonly RunningEngine _running;
        private readonly InstanceDirectory _directory;

        private Instance(string name, StreamEngine engine, InstanceDirectory directory, StreamOptions options)
        {
            (Name, _directory) = (name, directory);
            Queries = new StoreQueries([engine], directory, options);
            _running = new RunningEngine(engine, options.StateDirectory, directory.RunAsync);
        }

        public string Name { get; }

        public StreamEngine Engine => _running.Engine;

        public StoreQueries Queries { get; }

        private string StageDirectory { get; init; } = "";

        /// <summary>The task directories of the stage on this instance's disk.</summary>
        public HashSet<string> TaskDirectories() => Directory.Exists(StageDirectory)
            ? [.. Directory.EnumerateDirectories(StageDirectory).Select(d => Path.GetFileName(d)!)]
            : [];

        public static Instance Start(string app, string input, string output, string name)
        {
            var state = Path.Combine(Path.GetTempPath(), "omnistream-query-" + Guid.NewGuid().ToString("N"));
            var kafka = new KafkaOptions { BootstrapServers = KafkaFixture.Cluster.BootstrapServers };
            ShortSessions.Apply(kafka);
            var options = new StreamOptions
            {
                ApplicationId = app, DeadLetterTopic = $"{app}-dlq", StateDirectory = state, InstanceId = name, Endpoint = $"http://{name}:8080",
                StateCleanupDelay = TimeSpan.FromSeconds(1),
            };
            var directory = new InstanceDirectory(kafka, options, new AnnouncementSeal(SealKey), NullLogger<InstanceDirectory>.Instance);
            var engine = new StreamEngine(kafka, options, new CountingHandler(input, output),
                new StoreRestorer(kafka, NullLogger<StoreRestorer>.Instance), new StreamingMetrics(), NullLogger<StreamEngine>.Instance, TimeProvider.System, directory);
            return new Instance(name, engine, directory, options) { StageDirectory = Path.Combine(state, app, "count") };
        }

        public async ValueTask DisposeAsync()
        {
            await _running.DisposeAsync();
            _directory.Dispose();
        }
    }
}
