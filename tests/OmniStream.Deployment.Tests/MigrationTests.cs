using System.Net;
using System.Text.Json;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Kafka;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Processes;
using OmniStream.Worker.Definitions;
using OmniStream.Worker.Topology;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// Growing past the partitions: a worker application of 6 partitions, its customers mid-journey (marketing granted, a cart
/// left, its reminder pending), is stopped and moved by <c>omnistream migrate</c> into an application of 12; a worker of
/// the new application then answers every customer's view as the old one did, counts the same KPIs, and sends each pending
/// reminder once, when due. A second migration into the application, now in use, is refused.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class MigrationTests
{
    private const int Customers = 24;
    // Long enough for the old worker to catch up and stop, the migration to run and the new worker to start and catch up before
    // the reminders are due (60 s was too short once on a busy CI machine; the test only waits meanwhile).
    private static readonly TimeSpan CartIdle = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    // How long the old application's KPIs must stay unchanged to count as settled (its stages commit every 25 ms).
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(3);
    private static readonly AvroSerde<NextBestAction> Actions = new(SchemaCatalog.Default);

    [Test]
    public async Task An_application_moved_from_6_to_12_partitions_keeps_every_view_and_count_and_sends_each_pending_reminder_once()
    {
        // The hour's KPIs are compared before and after: no other test's steady traffic meanwhile.
        using var quiet = await ChannelTraffic.TakeTurnAsync();
        var id = Guid.NewGuid().ToString("N")[..6];
        var (from, to) = ($"grow-{id}-a", $"grow-{id}-b");
        await ClusterFixture.Cluster.TopicAdmin.ApplyAsync([.. TopicCatalog.All, .. WorkerTopology.InternalTopics(from, 6), .. WorkerTopology.InternalTopics(to, 12)]);
        var directory = FailureModeTests.Directory("grow");
        var policies = ShippedPolicies.WriteWithCartIdle(directory, CartIdle);
        // Every application on these brokers reads the channels' topics: this test's reminders are those with its content.
        var content = $"cart-reminder/{id}";
        await File.WriteAllTextAsync(policies, (await File.ReadAllTextAsync(policies)).Replace("content: cart-reminder/v1", $"content: {content}", StringComparison.Ordinal));
        var customers = Enumerable.Range(0, Customers).Select(i => $"grow-{id}-{i}").ToList();
        using var reminders = new TopicReader(ClusterFixture.Cluster.BootstrapServers, [TopicCatalog.Actions(Channel.WEB).Name]);

        Dictionary<string, string> before;
        string kpisBefore;
        var carts = Millisecond(DateTime.UtcNow);
        var (old, oldApi) = Start("grow-a", directory, from, 6, policies);
        using (old)
        {
            using var http = TestCredentials.AdminClient(oldApi);
            await OutageTests.WaitHealthyAsync(http, old);
            using (var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = ClusterFixture.Cluster.BootstrapServers }, new AvroSerde<InteractionEvent>(SchemaCatalog.Default)))
            {
                carts = Millisecond(DateTime.UtcNow);
                foreach (var customer in customers.Select(c => new Interactions(c, carts)))
                {
                    await publisher.PublishAsync(customer.MarketingConsent(Channel.WEB));
                    await publisher.PublishAsync(customer.CartUpdated(Channel.WEB, ("sku-1", 2, 19.90m)));
                }
            }
            before = await ViewsAsync(http, customers, view => view.GetProperty("cart").ValueKind == JsonValueKind.Object, "every cart in the old application");
            kpisBefore = await KpisAsync(http, carts, previous: null, due: carts + CartIdle);
            Assert.That(await old.StopAsync(Deadline), Is.Zero, old.Output);
        }

        using (var migrate = ServiceProcess.Start("migrate", "omnistream.dll", Path.Combine(directory, "migrate"), null,
            "migrate", "--bootstrap-servers", ClusterFixture.Cluster.BootstrapServers, "--from-application", from, "--to-application", to))
        {
            Assert.That(await migrate.WaitForExitAsync(Deadline), Is.Zero, migrate.Output);
            TestContext.Progress.WriteLine(migrate.Output);
            Assert.That(migrate.Stdout, Has.Some.StartsWith($"migrated {from} (6 partitions) into {to} (12 partitions): "));
        }

        var started = Millisecond(DateTime.UtcNow);
        var (grown, grownApi) = Start("grow-b", directory, to, 12, policies);
        using (grown)
        {
            using var http = TestCredentials.AdminClient(grownApi);
            await OutageTests.WaitHealthyAsync(http, grown);
            var after = await ViewsAsync(http, customers, _ => true, "every customer in the new application");
            var kpisAfter = await KpisAsync(http, carts, previous: kpisBefore, due: carts + CartIdle);
            Assert.Multiple(() =>
            {
                foreach (var customer in customers)
                {
                    Assert.That(after[customer], Is.EqualTo(before[customer]), $"{customer}'s view");
                }
                Assert.That(kpisAfter, Is.EqualTo(kpisBefore), "the hour's KPIs");
            });
            await WaitForCartOpenMembersAsync(http);
            // Compared: the channels may carry other tests' traffic again while the reminders fall due (this test's are told by their content).
            quiet.Dispose();

            await reminders.ReadUntilAsync(r => customers.All(c => RemindersOf(r, c, content).Any()), CartIdle + Deadline, "a reminder for every customer");
            await reminders.ReadToEndAsync(Deadline);
            Assert.Multiple(() =>
            {
                foreach (var customer in customers)
                {
                    var theirs = RemindersOf(reminders.Records, customer, content).ToList();
                    Assert.That(theirs, Has.Count.EqualTo(1), $"{customer}'s reminders");
                    Assert.That(theirs[0].decidedAt, Is.GreaterThanOrEqualTo(started).And.GreaterThanOrEqualTo(carts + CartIdle), "decided by the new application, when due");
                }
            });
            Assert.That(await grown.StopAsync(Deadline), Is.Zero, grown.Output);
        }

        using var again = ServiceProcess.Start("migrate-again", "omnistream.dll", Path.Combine(directory, "migrate-again"), null,
            "migrate", "--bootstrap-servers", ClusterFixture.Cluster.BootstrapServers, "--from-application", from, "--to-application", to);
        Assert.That(await again.WaitForExitAsync(Deadline), Is.EqualTo(3), again.Output);
        Assert.That(again.Stderr, Does.Contain($"migrate: refused: application {to} already holds records"), "never into an application in use");
    }

    private static (ServiceProcess Process, Uri Api) Start(string name, string directory, string application, int partitions, string policies) =>
        WorkerProcesses.Start(name, Path.Combine(directory, name), ShortSessions.With(new Dictionary<string, string>
        {
            ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = application,
            ["OmniStream:Stream:Partitions"] = $"{partitions}",
            ["OmniStream:Policies:File"] = policies,
        }));

    // Each customer's view as the API renders it, once every one satisfies ready.
    private static async Task<Dictionary<string, string>> ViewsAsync(HttpClient http, List<string> customers, Func<JsonElement, bool> ready, string what)
    {
        var views = new Dictionary<string, string>();
        await Wait.UntilAsync(async () =>
        {
            foreach (var customer in customers.Where(c => !views.ContainsKey(c)))
            {
                using var response = await http.GetAsync($"/customers/{customer}");
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK && ready(JsonDocument.Parse(body).RootElement))
                {
                    views[customer] = body;
                }
            }
            return views.Count == customers.Count;
        }, Deadline, () => $"{what} ({views.Count} of {customers.Count})");
        return views;
    }

    // The KPIs of the carts' hour, once reads over Steady agree (and, given previous, once they equal it), read before the
    // reminders fall due (they count in the KPIs). Two reads 20 ms apart once agreed while the KPI stage still counted other
    // tests' history (a CI failure); waiting for every stage's lag at 0 failed too (it stayed above 0 for a minute once).
    private static async Task<string> KpisAsync(HttpClient http, DateTime at, string? previous, DateTime due)
    {
        string? current = null;
        var since = DateTime.UtcNow;
        await Wait.UntilAsync(async () =>
        {
            if (DateTime.UtcNow >= due)
            {
                Assert.Fail($"the reminders fell due before the hour's KPIs settled: this machine was too slow for the test ({current})");
            }
            var read = HourCells(await http.GetStringAsync($"/kpis?window=HOUR&at={at:yyyy-MM-ddTHH:mm:ssZ}"));
            if (read != current || !JsonDocument.Parse(read).RootElement.GetProperty("complete").GetBoolean())
            {
                (current, since) = (read, DateTime.UtcNow);
            }
            return previous is null ? DateTime.UtcNow - since >= Steady : current == previous;
        }, Deadline, () => $"the hour's KPIs to settle{(previous is null ? "" : $" at those of the old application ({previous})")}: {current}");
        return current!;
    }

    // The hour's cells alone: segments' members are no window's (every test's customers on these brokers count in them, and
    // a merge of another test still on its way when the old application stops lands after the new one counted its members).
    private static string HourCells(string report)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(report)!.AsObject();
        foreach (var row in root["kpis"]!.AsArray())
        {
            row!["counts"]!.AsObject().Remove("segmentEntries");
            row["counts"]!.AsObject().Remove("segmentExits");
        }
        root.Remove("segments");
        return root.ToJsonString();
    }

    // Until the new application counted at least this test's carts among cart_open's members (from the customers it holds).
    private static async Task WaitForCartOpenMembersAsync(HttpClient http)
    {
        long members = 0;
        await Wait.UntilAsync(async () =>
        {
            using var report = JsonDocument.Parse(await http.GetStringAsync("/kpis?scope=segment:cart_open&window=HOUR"));
            members = report.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("members").GetInt64()).SingleOrDefault();
            return members >= Customers;
        }, Deadline, () => $"cart_open's members counted by the new application ({members})");
    }

    private static IEnumerable<NextBestAction> RemindersOf(IEnumerable<Confluent.Kafka.ConsumeResult<byte[], byte[]>> records, string customer, string content) =>
        records.Select(r => Actions.DeserializeAsync(r.Message.Value).AsTask().GetAwaiter().GetResult())
            .Where(a => a.customerId == customer && a.actionType == ActionType.CART_REMINDER && a.contentRef == content);

    // Times as the records carry them (Avro's timestamp-millis): a reminder decided in the millisecond it fell due reads
    // back as that millisecond, not later than a due time counted in ticks (a CI run failed on it).
    private static DateTime Millisecond(DateTime at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), at.Kind);
}
