using System.Text;
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

/// <summary>The exactly-once loop with a counting topology on a real cluster: nothing lost, nothing doubled.</summary>
/// <remarks>
/// Each test has topics and an application of its own (an instance each): they run beside each other, but for those that
/// inject errors into the embedded cluster, which fail the next request of whichever client sends it.
/// </remarks>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[Parallelizable(ParallelScope.Children)]
public class StreamEngineTests
{
    private static IKafkaTestCluster Cluster => KafkaFixture.Cluster;
    private const int Partitions = 3;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string[] Keys = ["anna", "bob", "chen", "dina"];
    private string _app = null!;
    private string _input = null!;
    private string _output = null!;
    private readonly List<string> _stateDirectories = [];

    [SetUp]
    public async Task CreateTopics()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        (_app, _input, _output) = ($"count-{id}", $"count-in-{id}", $"count-out-{id}");
        await Cluster.CreateTopicAsync(_input, Partitions);
        await Cluster.CreateTopicAsync(_output, Partitions);
        await Cluster.CreateTopicAsync($"{_app}-dlq", 1);
        foreach (var changelog in ChangelogTopics.Specs(_app, [CountingHandler.Store, StreamEngine.PositionsStore("count")], Partitions))
        {
            await Cluster.CreateTopicAsync(changelog.Name, changelog.Partitions);
        }
    }

    [TearDown]
    public void DeleteState() => _stateDirectories.ForEach(RocksDbStore.Wipe);

    [Test]
    public async Task Every_record_is_counted_once()
    {
        await ProduceAsync(perKey: 25);
        StreamEngine engine;

        await using (var loop = StartLoop())
        {
            engine = loop.Engine;
            await loop.WaitForOutputsAsync(Cluster.BootstrapServers, _output, Keys.Length * 25, Deadline);
            Assert.That(engine.Status, Is.EqualTo(StageStatus.Running));
        }

        AssertExactCounts(await ReadOutputsAsync(Keys.Length * 25), perKey: 25);
        Assert.That(engine.Status, Is.EqualTo(StageStatus.Stopped), "stopped on request, after its last commit");
    }

    [Test]
    public async Task A_stored_position_that_is_no_offset_is_set_aside_and_the_stage_counts_on()
    {
        // As a stray write to the positions changelog would leave it: 3 bytes where an offset takes 8.
        var positions = ChangelogTopics.For(_app, StreamEngine.PositionsStore("count"));
        var garbage = new byte[] { 1, 2, 3 };
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            for (var partition = 0; partition < Partitions; partition++)
            {
                await producer.ProduceAsync(new TopicPartition(positions, partition), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(_input), Value = garbage });
            }
        }
        await ProduceAsync(perKey: 5);

        await using (var loop = StartLoop())
        {
            await loop.WaitForOutputsAsync(Cluster.BootstrapServers, _output, Keys.Length * 5, Deadline);
        }
        using var deadLetters = new TopicReader(Cluster.BootstrapServers, [$"{_app}-dlq"]);
        var letters = await deadLetters.ReadUntilAsync(r => r.Count(d => d.Message.Value.SequenceEqual(garbage)) == Partitions, Deadline, "each partition's position set aside");

        AssertExactCounts(await ReadOutputsAsync(Keys.Length * 5), perKey: 5);
        Assert.That(Encoding.UTF8.GetString(letters[0].Message.Headers.GetLastBytes("omnistream.dlq.error-message")), Does.Contain("not an 8-byte offset"));
    }

    [Test]
    public async Task A_stage_on_two_threads_spreads_its_partitions_over_both_counts_every_record_once_and_a_single_thread_goes_on_from_there()
    {
        await ProduceAsync(perKey: 25);

        await using (var loop = StartLoop(threads: 2))
        {
            await Wait.UntilAsync(() => loop.Engine.PartitionsPerThread is [> 0, > 0], Deadline, "partitions on both threads");
            await loop.WaitForLastCountsAsync(Cluster.BootstrapServers, _output, Keys, 25, Deadline);
            await Wait.UntilAsync(() => Task.FromResult(loop.Metrics.Lags.Current.Count == Partitions && loop.Metrics.Lags.Current.Values.All(l => l.Records == 0)),
                Deadline, () => "the lag of every partition, whichever thread owns it: " + string.Join(", ", loop.Metrics.Lags.Current.Select(l => $"{l.Key.Topic}[{l.Key.Partition.Value}]={l.Value.Records}")));

            Assert.That(loop.Engine.PartitionsPerThread.Sum(), Is.EqualTo(Partitions));
            Assert.That(loop.Engine.OwnedPartitions, Has.Count.EqualTo(Partitions));
            foreach (var key in Keys)
            {
                Assert.That(loop.Engine.TryRead(CountingHandler.Store, Encoding.UTF8.GetBytes(key), out var count), Is.True, $"{key} is read from the thread that owns it");
                Assert.That(BitConverter.ToInt64(count), Is.EqualTo(25));
            }
        }
        await ProduceAsync(perKey: 5);
        await using (var single = StartLoop())
        {
            await single.WaitForLastCountsAsync(Cluster.BootstrapServers, _output, Keys, 30, Deadline);
        }

        AssertExactCounts(await ReadOutputsAsync(Keys.Length * 30), perKey: 30);
    }

    [Test]
    public async Task Lag_is_reported_for_every_owned_partition_and_is_zero_once_caught_up()
    {
        await ProduceAsync(perKey: 10);

        await using var loop = StartLoop();
        await loop.WaitForOutputsAsync(Cluster.BootstrapServers, _output, Keys.Length * 10, Deadline);
        await Wait.UntilAsync(() => loop.Metrics.Lags.Current.Count == Partitions && loop.Metrics.Lags.Current.Values.All(l => l.Records == 0),
            Deadline, "zero lag on every partition");

        Assert.That(loop.Metrics.Lags.Current.Keys.Select(p => p.Topic), Has.All.EqualTo(_input));
        Assert.That(loop.Metrics.StoreKeys.Keys, Is.SupersetOf(new[] { $"counts/{_input}-0", $"counts/{_input}-1", $"counts/{_input}-2" }));
    }

    [Test]
    [NonParallelizable] // The error it injects fails the next such request of any client of the embedded cluster.
    public async Task A_worker_that_loses_its_session_rejoins_and_counts_on_without_doubles()
    {
        var embedded = EmbeddedCluster("to make the coordinator forget the member");
        using var lost = new RebalanceCounter("lost");
        await ProduceAsync(perKey: 10);
        await using var loop = StartLoop();
        await loop.WaitForOutputsAsync(Cluster.BootstrapServers, _output, Keys.Length * 10, Deadline);

        // The coordinator answers the next heartbeat as if the member had timed out.
        embedded.InjectRequestErrors(DevCluster.KafkaApi.Heartbeat, ErrorCode.UnknownMemberId);
        await Wait.UntilAsync(() => lost.Count > 0, Deadline, "the engine told its partitions were lost");
        await ProduceAsync(perKey: 10);
        await loop.WaitForLastCountsAsync(Cluster.BootstrapServers, _output, Keys, 20, Deadline);

        var outputs = await ReadOutputsAsync(Keys.Length * 20);
        Assert.That(outputs.Where(o => int.Parse(o[(o.IndexOf('=') + 1)..]) > 20), Is.Empty, "no record counted twice");
        Assert.That(loop.Engine.AssignedPartitions, Is.EqualTo(Partitions), "the partitions are owned again");
    }

    [Test]
    [NonParallelizable] // The error it injects fails the next such request of any client of the embedded cluster.
    public async Task A_thread_back_from_a_long_absence_that_the_group_dropped_sends_no_state_and_its_transaction_is_replayed()
    {
        var embedded = EmbeddedCluster("to make the coordinator refuse a member's offsets");
        await ProduceAsync(perKey: 10);
        var handler = new CountingHandler(_input, _output);
        await using var loop = StartLoop(handler: handler);
        await loop.WaitForOutputsAsync(Cluster.BootstrapServers, _output, Keys.Length * 10, Deadline);

        // Busy on a record for half its (short) session, the thread then hears from the coordinator, at its
        // membership check, what a member dropped meanwhile hears.
        handler.StallNextRecord(TimeSpan.FromMilliseconds(ShortSessions.SessionMs * 2 / 3));
        embedded.InjectRequestErrors(DevCluster.KafkaApi.OffsetCommit, ErrorCode.UnknownMemberId);
        await ProduceAsync(perKey: 10);
        await loop.WaitForLastCountsAsync(Cluster.BootstrapServers, _output, Keys, 20, Deadline);

        Assert.That(loop.Engine.Aborts, Is.GreaterThan(0), "the commit of a dropped member must abort before it sends state");
        var outputs = await ReadOutputsAsync(Keys.Length * 20);
        Assert.That(outputs.Where(o => int.Parse(o[(o.IndexOf('=') + 1)..]) > 20), Is.Empty, "no record counted twice");
    }

    [TestCase(false, TestName = "A worker restarted on a new machine restores its counts from the changelog")]
    [TestCase(true, TestName = "A worker that commits in one flush (brokers isolating transactions) restores its counts from the changelog")]
    public async Task A_worker_restarted_on_a_new_machine_restores_its_counts_from_the_changelog(bool brokersIsolateTransactions)
    {
        await ProduceAsync(perKey: 10);
        await using (var first = StartLoop(brokersIsolateTransactions: brokersIsolateTransactions))
        {
            await first.WaitForOutputsAsync(Cluster.BootstrapServers, _output, Keys.Length * 10, Deadline);
        }
        await ProduceAsync(perKey: 10);

        await using (var second = StartLoop(brokersIsolateTransactions: brokersIsolateTransactions))
        {
            await second.WaitForOutputsAsync(Cluster.BootstrapServers, _output, Keys.Length * 20, Deadline);
        }

        AssertExactCounts(await ReadOutputsAsync(Keys.Length * 20), perKey: 20);
    }

    [Test]
    public async Task An_aborted_transaction_is_replayed_and_the_state_stays_exact()
    {
        await ProduceAsync(perKey: 20);

        await using (var loop = StartLoop(failOnceAtOffset: 7))
        {
            await loop.WaitForLastCountsAsync(Cluster.BootstrapServers, _output, Keys, 20, Deadline);
            Assert.That(loop.Engine.Aborts, Is.GreaterThan(0), "the refused record must have aborted a transaction");
        }
        await ProduceAsync(perKey: 1);
        await using (var restarted = StartLoop())
        {
            await restarted.WaitForLastCountsAsync(Cluster.BootstrapServers, _output, Keys, 21, Deadline);
        }

        var outputs = await ReadOutputsAsync(Keys.Length * 21);
        foreach (var key in Keys)
        {
            Assert.That(outputs.Where(o => o.StartsWith(key + "=", StringComparison.Ordinal)).Select(o => int.Parse(o[(key.Length + 1)..])).Max(), Is.EqualTo(21),
                $"{key}: 21 records counted once each, across an abort and a restart from the changelog");
        }
    }

    [Test]
    public async Task Outputs_of_an_aborted_transaction_are_invisible_to_read_committed_readers()
    {
        if (Cluster.Embedded is not null)
        {
            Assert.Ignore("needs a broker that isolates transactions: librdkafka 2.16's mock brokers show aborted records to read_committed readers (see DevCluster TransactionIsolationTests); runs on Testcontainers or OMNISTREAM_KAFKA_BOOTSTRAP");
        }
        await ProduceAsync(perKey: 20);

        await using (var loop = StartLoop(failOnceAtOffset: 7))
        {
            await loop.WaitForLastCountsAsync(Cluster.BootstrapServers, _output, Keys, 20, Deadline);
        }

        AssertExactCounts(await ReadOutputsAsync(Keys.Length * 20), perKey: 20);
    }

    [Test]
    public async Task A_missing_changelog_topic_stops_the_loop_with_an_error_naming_it()
    {
        var kafka = new KafkaOptions { BootstrapServers = Cluster.BootstrapServers };
        var options = new StreamOptions { ApplicationId = _app + "-other", StateDirectory = Path.GetTempPath(), InstanceId = "test" };
        var engine = new StreamEngine(kafka, options, new CountingHandler(_input, _output),
            new StoreRestorer(kafka, NullLogger<StoreRestorer>.Instance), new StreamingMetrics(), NullLogger<StreamEngine>.Instance, TimeProvider.System);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.RunAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.Contain($"'{_app}-other-counts-changelog' does not exist"));
        Assert.That(engine.Status, Is.EqualTo(StageStatus.Failed), "health checks report the stage down");
        Assert.That(engine.Failure, Does.StartWith("InvalidOperationException: ").And.Contain("counts-changelog"));
    }

    // The embedded cluster, which can answer requests with the errors a test injects; the test is ignored elsewhere.
    private static DevCluster.DevKafkaCluster EmbeddedCluster(string why)
    {
        if (Cluster.Embedded is not { } embedded)
        {
            Assert.Ignore($"needs the embedded cluster, {why}");
            throw new InvalidOperationException("unreachable: Assert.Ignore throws");
        }
        return embedded;
    }

    private RunningLoop StartLoop(long? failOnceAtOffset = null, bool brokersIsolateTransactions = false, int threads = 1, CountingHandler? handler = null)
    {
        var state = Path.Combine(Path.GetTempPath(), "omnistream-eos-" + Guid.NewGuid().ToString("N"));
        _stateDirectories.Add(state);
        var kafka = new KafkaOptions { BootstrapServers = Cluster.BootstrapServers };
        // The embedded cluster keeps a member that left until its session times out: a restart
        // in the same group waits for it (45 s by default, 5 s here).
        ShortSessions.Apply(kafka);
        var options = new StreamOptions
        {
            ApplicationId = _app, DeadLetterTopic = $"{_app}-dlq", StateDirectory = state, InstanceId = "test",
            BrokersIsolateTransactions = brokersIsolateTransactions, Threads = threads,
        };
        var metrics = new StreamingMetrics();
        var engine = new StreamEngine(kafka, options, handler ?? new CountingHandler(_input, _output, failOnceAtOffset),
            new StoreRestorer(kafka, NullLogger<StoreRestorer>.Instance), metrics, NullLogger<StreamEngine>.Instance, TimeProvider.System);
        return new RunningLoop(engine, metrics);
    }

    private async Task ProduceAsync(int perKey)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = Cluster.BootstrapServers, EnableIdempotence = true,
            // As the engine's producers do, so that a key's store shard is found by the engine's partitioner.
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
        for (var i = 0; i < perKey; i++)
        {
            foreach (var key in Keys)
            {
                producer.Produce(_input, new Message<string, string> { Key = key, Value = "x" });
            }
        }
        producer.Flush(Deadline);
        await Task.CompletedTask;
    }

    private async Task<List<string>> ReadOutputsAsync(int expected)
    {
        using var reader = new TopicReader(Cluster.BootstrapServers, [_output]);
        var records = await reader.ReadUntilAsync(r => r.Count >= expected, Deadline, $"{expected} outputs");
        // Anything beyond the expected count would be a double: give it a moment to show up.
        await reader.ReadUntilAsync(_ => true, Deadline, "nothing");
        return records.Select(r => Encoding.UTF8.GetString(r.Message.Value)).ToList();
    }

    private static void AssertExactCounts(List<string> outputs, int perKey)
    {
        foreach (var key in Keys)
        {
            var counts = outputs.Where(o => o.StartsWith(key + "=", StringComparison.Ordinal)).Select(o => int.Parse(o[(key.Length + 1)..])).ToList();
            Assert.That(counts, Is.EqualTo(Enumerable.Range(1, perKey)), $"outputs of {key}");
        }
    }

    /// <summary>An engine running on a thread of its own, stopped (committing) on dispose.</summary>
    private sealed class RunningLoop(StreamEngine engine, StreamingMetrics metrics) : IAsyncDisposable
    {
        private readonly RunningEngine _engine = new(engine);

        private Task Running => _engine.Running;

        public StreamEngine Engine => engine;

        public StreamingMetrics Metrics => metrics;

        public async Task WaitForOutputsAsync(string bootstrap, string output, int count, TimeSpan timeout)
        {
            using var reader = new TopicReader(bootstrap, [output]);
            await reader.ReadUntilAsync(r => r.Count >= count || Running.IsFaulted, timeout, $"{count} committed outputs");
            if (Running.IsFaulted)
            {
                await Running;
            }
        }

        /// <summary>Waits until every key's output reached <paramref name="count"/> (the outputs of replays may come in between).</summary>
        public async Task WaitForLastCountsAsync(string bootstrap, string output, string[] keys, int count, TimeSpan timeout)
        {
            using var reader = new TopicReader(bootstrap, [output]);
            var finals = keys.Select(k => $"{k}={count}").ToHashSet();
            await reader.ReadUntilAsync(r => finals.IsSubsetOf(r.Select(x => Encoding.UTF8.GetString(x.Message.Value))) || Running.IsFaulted, timeout, $"every key counted to {count}");
            if (Running.IsFaulted)
            {
                await Running;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _engine.DisposeAsync();
            Metrics.Dispose();
        }
    }
}
