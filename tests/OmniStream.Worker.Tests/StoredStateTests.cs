using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.State;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

/// <summary>A worker starting on customer states it did not write: corrupted ones, and those of an earlier version.</summary>
public class StoredStateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_corrupted_record_in_the_customers_changelog_is_set_aside_and_its_customer_starts_afresh()
    {
        var anna = new Interactions("anna-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        var corrupted = "{\"v\":1,\"customerId\":"u8.ToArray();
        var (app, changelog, key) = await SeedChangelogAsync("unreadable", anna.CustomerId, corrupted);

        // The worker restores the corrupted state into its store, then reads it on Anna's next event.
        await using var worker = await StartAsync(app);
        await worker.GrantMarketingAsync(anna);
        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));

        using var deadLetters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.DeadLetter.Name]);
        var letters = await deadLetters.ReadUntilAsync(r => r.Any(d => d.Message.Key.SequenceEqual(key)), Deadline, "the set-aside state");
        using var actions = new TopicReader(KafkaFixture.Cluster.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name));
        await actions.ReadUntilAsync(r => r.Any(a => a.Message.Key.SequenceEqual(key)), Deadline, "a reminder for the fresh state");

        var letter = letters.Single(d => d.Message.Key.SequenceEqual(key)).Message;
        Assert.That(letter.Value, Is.EqualTo(corrupted));
        Assert.That(Encoding.UTF8.GetString(letter.Headers.GetLastBytes(DeadLetterHeaders.SourceTopic)), Is.EqualTo(changelog.Topic));
        Assert.That(Encoding.UTF8.GetString(letter.Headers.GetLastBytes(DeadLetterHeaders.ErrorClass)), Does.EndWith("InvalidDataException"));
    }

    [Test]
    public async Task A_state_stored_as_json_before_the_upgrade_is_restored_served_and_rewritten_in_binary_on_the_next_event()
    {
        var anna = new Interactions("anna-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        // What a worker before the binary format stored: format 1's JSON, which ToJson still writes.
        var before = new CustomerFold(new FoldOptions()).ApplyAll(new CustomerState(anna.CustomerId),
            [anna.ProfileUpdated(Channel.WEB, "firstName", "Anna"), anna.After(TimeSpan.FromSeconds(1)).ProductViewed(Channel.WEB, "sku-old")]);
        var (app, changelog, key) = await SeedChangelogAsync("upgrade", anna.CustomerId, CustomerStateCodec.ToJson(before));

        await using var worker = await StartAsync(app);
        await worker.Api.ViewWhenAsync(anna.CustomerId, v => v.GetProperty("profile").TryGetProperty("firstName", out _), Deadline, "the restored JSON state");
        await worker.Publisher.PublishAsync(anna.After(TimeSpan.FromSeconds(1)).ProductViewed(Channel.MOBILE_APP, "sku-new"));

        using var reader = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [changelog.Topic]);
        var records = await reader.ReadUntilAsync(r => r.Any(c => c.Message.Key.SequenceEqual(key) && c.Message.Value is [CustomerStateCodec.Section, StateSections.Core, ..])
            && r.Count(c => IsLine(key, c.Message.Key)) == 3, Deadline, "the state rewritten as a core, its timeline in parts");
        var after = StoredCustomers.FromLog(records.Select(r => (r.Message.Key, (byte[]?)r.Message.Value)))[anna.CustomerId];
        var core = CustomerStateCodec.Decode(records.Last(c => c.Message.Key.SequenceEqual(key)).Message.Value);

        Assert.That(after.Profile["firstName"].Value, Is.EqualTo("Anna"), "what the JSON state held");
        Assert.That(after.ProductViews.Select(v => v.ProductId), Is.EqualTo(new[] { "sku-new", "sku-old" }), "newest first, the old view kept");
        Assert.That(after.Timeline.Count, Is.EqualTo(3), "the timeline the JSON state held inline, and the new line");
        Assert.That(after.EarlierEventIds, Is.Empty, "the events the JSON state knew are known by their lines");
        Assert.That(core.Timeline.Lines, Is.Empty, "the timeline moved out of the core into parts");
        Assert.That(core.Timeline.Count, Is.Zero, "nor their index: a customer read from the store finds it in the lines' keys");
    }

    [Test]
    public async Task A_customer_stored_in_parts_is_restored_by_a_new_instance_and_an_event_writes_the_core_and_one_line()
    {
        var app = "parts-" + Guid.NewGuid().ToString("N")[..8];
        var anna = new Interactions("anna-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        var key = Encoding.UTF8.GetBytes(anna.CustomerId);
        await KafkaFixture.Cluster.TopicAdmin.ApplyAsync(WorkerTopology.InternalTopics(app));
        using var reader = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [ChangelogTopics.For(app, WorkerTopology.CustomersStore)]);
        // The embedded brokers let the second instance in once the first's session ends: short sessions.
        await using (var first = await StartAsync(app, ShortSessions.Settings))
        {
            await first.Publisher.PublishAsync(anna.PageViewed(Channel.WEB));
            await first.Publisher.PublishAsync(anna.After(TimeSpan.FromSeconds(1)).ProductViewed(Channel.WEB, "sku-1"));
            await first.Api.ViewWhenAsync(anna.CustomerId, v => v.GetProperty("timeline").GetArrayLength() == 2, Deadline, "two timeline lines");
        }
        // The first instance committed as it stopped: all it wrote is in the changelog.
        var written = (await reader.ReadToEndAsync(Deadline)).Where(IsAnnas).ToList();

        // A new instance with no local state restores Anna from the changelog, then takes her next event.
        await using var second = await StartAsync(app, ShortSessions.Settings);
        var restored = await second.Api.ViewWhenAsync(anna.CustomerId, v => v.GetProperty("timeline").GetArrayLength() == 2, Deadline, "the restored timeline");
        // On the same channel within the journey's gap: it changes the customer's time and timeline only.
        await second.Publisher.PublishAsync(anna.After(TimeSpan.FromSeconds(1)).PageViewed(Channel.WEB));
        await second.Api.ViewWhenAsync(anna.CustomerId, v => v.GetProperty("timeline").GetArrayLength() == 3, Deadline, "the third line");
        var all = (await reader.ReadUntilAsync(r => r.Count(c => IsLine(key, c.Message.Key)) == 3, Deadline, "the next event's line")).Where(IsAnnas).ToList();

        Assert.That(restored.GetProperty("timeline").EnumerateArray().Select(l => l.GetProperty("type").GetString()), Is.EqualTo(new[] { "ProductViewed", "PageViewed" }));
        Assert.That(all.Skip(written.Count).Select(r => Describe(key, r.Message.Key)), Is.EquivalentTo(new[] { "core", "timeline line" }),
            "the event wrote the core and its own line, not the earlier lines nor the sections it left alone");
        Assert.That(StoredCustomers.FromLog(all.Select(r => (r.Message.Key, (byte[]?)r.Message.Value)))[anna.CustomerId].Timeline.Count, Is.EqualTo(3));

        bool IsAnnas(ConsumeResult<byte[], byte[]> record) => record.Message.Key.AsSpan().StartsWith(key)
            && (record.Message.Key.Length == key.Length || record.Message.Key[key.Length] == KeyParts.Separator);
    }

    // A fresh application whose customers changelog holds one record for the customer, as if an earlier worker had written it.
    private static async Task<(string App, TopicPartition Changelog, byte[] Key)> SeedChangelogAsync(string prefix, string customerId, byte[] value)
    {
        var app = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        await KafkaFixture.Cluster.TopicAdmin.ApplyAsync(WorkerTopology.InternalTopics(app));
        var key = Encoding.UTF8.GetBytes(customerId);
        var changelog = new TopicPartition(ChangelogTopics.For(app, WorkerTopology.CustomersStore), KeyPartitioner.Partition(key, WorkerTopology.Partitions));
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build();
        await producer.ProduceAsync(changelog, new Message<byte[], byte[]> { Key = key, Value = value });
        return (app, changelog, key);
    }

    private static string Describe(byte[] customerKey, byte[] key) =>
        key.Length == customerKey.Length ? "core" : StoredCustomers.PartOf(customerKey, key) is var part && part.Kind == CustomerPart.LineKind ? "timeline line" : part.ToString();

    private static bool IsLine(byte[] customerKey, byte[] key) =>
        key.Length > customerKey.Length + 1 && key.AsSpan().StartsWith(KeyParts.Prefix(customerKey))
        && CustomerPart.TryRead(key.AsSpan(customerKey.Length + 1), out var part) && part.Kind == CustomerPart.LineKind;

    private static Task<WorkerHarness> StartAsync(string app, IReadOnlyDictionary<string, string>? settings = null) =>
        WorkerHarness.StartAsync(TimeSpan.FromMilliseconds(300), KafkaFixture.Cluster, app, Path.Combine(Path.GetTempPath(), $"omnistream-{app}"), settings: settings);
}
