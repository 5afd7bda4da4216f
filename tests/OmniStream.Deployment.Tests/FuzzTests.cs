using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Processes;
using OmniStream.Worker.Topology;
using OmniStream.Kafka;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// 100,000 hostile records over every topic the worker reads, against the real worker process:
/// each that must be set aside is on the dead-letter topic with its reason, the worker stays up
/// and healthy with every stage running, valid events sent after are processed, and its peak
/// memory stays bounded.
/// </summary>
// Alone: it keeps both cores busy for half a minute, and beside it a browser test's "a new event on the open page within
// 2 s" ran over (a CI run, the explorer's page: over 2 s, against 0.5–0.9 s when it ran beside lighter fixtures).
[NonParallelizable]
public class FuzzTests
{
    private const int UntrustedRecords = 90_000;
    private const int InternalRecords = 10_000;
    private const int DeadLetterPartitions = 24;
    private const long MemoryHeadroomBytes = 512L * 1024 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Test]
    public async Task Hostile_records_on_every_topic_are_set_aside_with_their_reason_and_the_worker_stays_healthy_bounded_and_working()
    {
        await using var cluster = KafkaTestClusters.StartEmbedded(brokers: 1);
        var app = "fuzz-" + Guid.NewGuid().ToString("N")[..6];
        var deadLetters = app + "-deadletter";
        await cluster.TopicAdmin.ApplyAsync([.. TopicCatalog.All, .. WorkerTopology.InternalTopics(app)]);
        await cluster.CreateTopicAsync(deadLetters, DeadLetterPartitions);
        var records = await new HostileRecords(seed: 20261130).CreateAsync(UntrustedRecords, InternalRecords, app);

        var (worker, api) = WorkerProcesses.Start("fuzz", FailureModeTests.Directory("fuzz"), new Dictionary<string, string>
        {
            ["OmniStream:Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = app,
            ["OmniStream:Stream:DeadLetterTopic"] = deadLetters,
        });
        using var _ = worker;
        using var http = TestCredentials.AdminClient(api);
        await OutageTests.WaitHealthyAsync(http, worker);
        var baseline = worker.PeakResidentBytes();
        using var follower = new DeadLetterFollower(cluster.BootstrapServers, deadLetters, DeadLetterPartitions);

        var clock = Stopwatch.StartNew();
        var positions = await SendAsync(cluster.BootstrapServers, records);
        var expected = records.Zip(positions).Where(r => r.First.MustBeDeadLettered).Select(r => r.Second).ToList();
        await Wait.UntilAsync(() => worker.HasExited || expected.All(follower.HasReasonFor), Deadline,
            $"{expected.Count} hostile records on {deadLetters} with their reason");
        var setAside = clock.Elapsed;

        var customers = await PublishValidEventsAsync(cluster.BootstrapServers, count: 20);
        await Wait.UntilAsync(async () => worker.HasExited || await AllKnownAsync(http, customers), Deadline, "the valid events sent after the hostile ones");
        var health = await http.GetFromJsonAsync<JsonElement>("/health");
        var peak = worker.PeakResidentBytes();
        TestContext.Progress.WriteLine(
            $"fuzz: sent={records.Count} must_dead_letter={expected.Count} dead_lettered={follower.Letters} " +
            $"valid_mutations={records.Count - expected.Count} set_aside_in_s={setAside.TotalSeconds:0.0} " +
            $"peak_rss_mb={peak / (1024 * 1024)} baseline_rss_mb={baseline / (1024 * 1024)} " +
            $"kinds={string.Join(",", records.GroupBy(r => r.Kind).Select(g => $"{g.Key}:{g.Count()}"))}");
        Assert.Multiple(() =>
        {
            Assert.That(worker.HasExited, Is.False, worker.Output);
            Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("up"), health.ToString());
            Assert.That(health.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("status").GetString()), Is.All.EqualTo("Running"));
            Assert.That(expected.Where(p => !follower.HasReasonFor(p)), Is.Empty, "hostile records not set aside with a reason");
            Assert.That(peak - baseline, Is.LessThan(MemoryHeadroomBytes), "peak memory over the worker's own after start");
        });
        Assert.That(await worker.StopAsync(Deadline), Is.Zero, worker.Output);
    }

    private static async Task<List<TopicPartitionOffset>> SendAsync(string bootstrapServers, List<HostileRecord> records)
    {
        var positions = new TopicPartitionOffset[records.Count];
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 20 }).Build();
        var failures = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var at = i;
            producer.Produce(records[i].Topic, records[i].Message, report =>
            {
                positions[at] = report.TopicPartitionOffset;
                if (report.Error.IsError)
                {
                    Interlocked.Increment(ref failures);
                }
            });
        }
        await Task.Run(() => producer.Flush(TimeSpan.FromMinutes(1)));
        Assert.That(failures, Is.Zero, "hostile records the brokers refused");
        return [.. positions];
    }

    private static async Task<List<string>> PublishValidEventsAsync(string bootstrapServers, int count)
    {
        var customers = Enumerable.Range(0, count).Select(i => $"after-fuzz-{i}-{Guid.NewGuid():N}"[..24]).ToList();
        using var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = bootstrapServers }, new AvroSerde<InteractionEvent>(SchemaCatalog.Default));
        foreach (var customer in customers)
        {
            await publisher.PublishAsync(new Interactions(customer).PageViewed(Channel.WEB));
        }
        return customers;
    }

    private static async Task<bool> AllKnownAsync(HttpClient http, List<string> customers)
    {
        foreach (var customer in customers)
        {
            if ((await http.GetAsync($"/customers/{customer}")).StatusCode != HttpStatusCode.OK)
            {
                return false;
            }
        }
        return true;
    }
}
