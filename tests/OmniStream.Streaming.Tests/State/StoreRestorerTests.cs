using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using OmniStream.Streaming.State;
using OmniStream.Testing.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Tests.State;

/// <summary>Restoring real RocksDB stores from changelog partitions on a real cluster.</summary>
public class StoreRestorerTests
{
    private static IKafkaTestCluster Cluster => KafkaFixture.Cluster;
    private string _directory = null!;
    private TopicPartition _changelog = null!;

    [SetUp]
    public async Task NewChangelog()
    {
        _directory = Path.Combine(Path.GetTempPath(), "omnistream-restore-" + Guid.NewGuid().ToString("N"));
        var topic = "test-" + Guid.NewGuid().ToString("N")[..8] + "-changelog";
        await Cluster.CreateTopicAsync(topic, partitions: 2);
        _changelog = new TopicPartition(topic, 1);
    }

    [TearDown]
    public void DeleteStore() => RocksDbStore.Wipe(_directory);

    private static StoreRestorer Restorer => new(new KafkaOptions { BootstrapServers = Cluster.BootstrapServers }, NullLogger<StoreRestorer>.Instance);

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private Task LogAsync(params (string Key, string? Value)[] records) => LogAsync(_changelog, records);

    private static async Task LogAsync(TopicPartition changelog, params (string Key, string? Value)[] records)
    {
        using var producer = new ProducerBuilder<byte[], byte[]?>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, EnableIdempotence = true }).Build();
        foreach (var (key, value) in records)
        {
            await producer.ProduceAsync(changelog, new Message<byte[], byte[]?> { Key = B(key), Value = value is null ? null : B(value) });
        }
    }

    [Test]
    public async Task A_new_store_replays_the_whole_changelog_tombstones_included()
    {
        await LogAsync(("k1", "v1"), ("k2", "v2"), ("k1", null), ("k3", "v3"));

        var (store, result) = Restorer.OpenAndRestore("journeys", _directory, _changelog);
        using (store)
        {
            Assert.That(store.Find(B("k1")), Is.Null);
            Assert.That(store.Find(B("k2")), Is.EqualTo(B("v2")));
            Assert.That(store.Find(B("k3")), Is.EqualTo(B("v3")));
            Assert.That(store.Checkpoint, Is.EqualTo(4));
        }
        Assert.That(result, Is.EqualTo(new RestoreResult(4, 0, 4, false, null)));
    }

    [Test]
    public async Task Stores_restored_in_one_session_share_its_consumer_and_each_reads_its_own_changelog_only()
    {
        var other = new TopicPartition(_changelog.Topic, 0);
        await LogAsync(other, ("o1", "w1"), ("o2", "w2"), ("o3", "w3"));
        await LogAsync(("k1", "v1"), ("k2", "v2"));
        var otherDirectory = _directory + "-other";
        try
        {
            using var session = Restorer.NewSession();
            var (first, firstResult) = session.OpenAndRestore("journeys", otherDirectory, other);
            using (first)
            {
                var (second, secondResult) = session.OpenAndRestore("journeys", _directory, _changelog);
                using var secondStore = second;
                Assert.That(session.ConsumersBuilt, Is.EqualTo(1));
                Assert.That((firstResult.Records, secondResult.Records), Is.EqualTo((3L, 2L)));
                Assert.That(first.Find(B("o3")), Is.EqualTo(B("w3")));
                Assert.That(second.Find(B("k2")), Is.EqualTo(B("v2")));
                Assert.That(second.Find(B("o1")), Is.Null);
                Assert.That(second.Checkpoint, Is.EqualTo(2));
            }
        }
        finally
        {
            RocksDbStore.Wipe(otherDirectory);
        }
    }

    [Test]
    public async Task A_store_with_a_valid_checkpoint_replays_only_what_came_after()
    {
        await LogAsync(("k1", "v1"), ("k2", "v2"));
        Restorer.OpenAndRestore("journeys", _directory, _changelog).Store.Dispose();
        await LogAsync(("k3", "v3"));

        var (store, result) = Restorer.OpenAndRestore("journeys", _directory, _changelog);
        using (store)
        {
            Assert.That(store.Find(B("k1")), Is.EqualTo(B("v1")));
            Assert.That(store.Find(B("k3")), Is.EqualTo(B("v3")));
        }
        Assert.That(result.Records, Is.EqualTo(1));
        Assert.That(result.From, Is.EqualTo(2));
    }

    [Test]
    public async Task A_checkpoint_ahead_of_the_changelog_wipes_the_store_and_rebuilds_it()
    {
        using (var stale = RocksDbStore.Open("journeys", _directory))
        {
            stale.Put(B("from-another-cluster"), B("old"));
            stale.Commit(checkpoint: 1_000);
        }
        await LogAsync(("k1", "v1"));

        var (store, result) = Restorer.OpenAndRestore("journeys", _directory, _changelog);
        using (store)
        {
            Assert.That(store.Find(B("from-another-cluster")), Is.Null);
            Assert.That(store.Find(B("k1")), Is.EqualTo(B("v1")));
        }
        Assert.That(result.Rebuilt, Is.True);
        Assert.That(result.Reason, Does.Contain("ahead of the changelog"));
    }

    [Test]
    public async Task An_unreadable_store_is_wiped_and_rebuilt()
    {
        RocksDbStore.Open("journeys", _directory).Dispose();
        foreach (var file in Directory.GetFiles(_directory, "MANIFEST-*"))
        {
            await File.WriteAllTextAsync(file, "not a manifest");
        }
        await LogAsync(("k1", "v1"));

        var (store, result) = Restorer.OpenAndRestore("journeys", _directory, _changelog);
        using (store)
        {
            Assert.That(store.Find(B("k1")), Is.EqualTo(B("v1")));
        }
        Assert.That(result.Rebuilt, Is.True);
        Assert.That(result.Reason, Does.Contain("unreadable"));
    }

    [Test]
    public async Task A_store_that_cannot_be_opened_for_a_lock_is_left_as_it_is_and_not_opened()
    {
        await LogAsync(("k1", "v1"));
        using (var held = RocksDbStore.Open("journeys", _directory))
        {
            held.Put(B("only-here"), B("v"));
            held.Commit(1);

            // Another holder of the store's lock (an instance not yet gone): not corruption.
            var error = Assert.Throws<StoreUnavailableException>(() => Restorer.OpenAndRestore("journeys", _directory, _changelog));

            Assert.That(error!.Message, Does.Contain("cannot be opened, and is left as it is").And.Contain("lock"));
        }
        using var reopened = RocksDbStore.Open("journeys", _directory);
        Assert.That(reopened.Find(B("only-here")), Is.EqualTo(B("v")), "not wiped");
    }

    [Test]
    public async Task A_changelog_that_lost_its_head_restores_what_remains_and_says_from_where()
    {
        await LogAsync(("k1", "v1"), ("k2", "v2"));
        if (Cluster.Embedded is not null)
        {
            // The embedded brokers keep each partition's latest 5 MB: push k1 and k2 out.
            using var producer = new ProducerBuilder<byte[], byte[]?>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers }).Build();
            var filler = new byte[500_000];
            for (var i = 0; i < 12; i++)
            {
                producer.Produce(_changelog, new Message<byte[], byte[]?> { Key = B($"big{i}"), Value = filler });
            }
            producer.Flush(TimeSpan.FromSeconds(30));
        }
        else
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build();
            await admin.DeleteRecordsAsync([new TopicPartitionOffset(_changelog, 2)]);
            await LogAsync(("k3", "v3"));
        }

        var (store, result) = Restorer.OpenAndRestore("journeys", _directory, _changelog);
        using (store)
        {
            Assert.That(store.Find(B("k1")), Is.Null);
            Assert.That(result.LostBefore, Is.GreaterThanOrEqualTo(2));
            Assert.That(result.From, Is.EqualTo(result.LostBefore));
            Assert.That(store.Checkpoint, Is.EqualTo(result.To));
        }
    }

    [Test]
    public void A_long_restore_reports_its_progress_until_nothing_remains()
    {
        using (var producer = new ProducerBuilder<byte[], byte[]?>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, LingerMs = 20 }).Build())
        {
            for (var i = 0; i < 25_000; i++)
            {
                producer.Produce(_changelog, new Message<byte[], byte[]?> { Key = B($"k{i % 1_000}"), Value = B($"v{i}") });
            }
            producer.Flush(TimeSpan.FromSeconds(60));
        }
        var reports = new List<RestoreProgress>();

        var (store, result) = Restorer.OpenAndRestore("journeys", _directory, _changelog, new SynchronousProgress<RestoreProgress>(reports.Add));
        using (store)
        {
            Assert.That(store.Find(B("k999")), Is.EqualTo(B("v24999")));
        }

        Assert.That(result.Records, Is.EqualTo(25_000));
        Assert.That(reports[0], Is.EqualTo(new RestoreProgress(0, 25_000)));
        Assert.That(reports.Select(r => r.Applied), Is.Ordered.And.Contains(10_000L).And.Contains(20_000L));
        Assert.That(reports[^1], Is.EqualTo(new RestoreProgress(25_000, 0)));
    }
}
