using System.Diagnostics;
using System.Text;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Customers.State.Legacy;
using OmniStream.Decisions.Engine;
using OmniStream.Decisions.Learning;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.State;
using OmniStream.Testing;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Processes;
using OmniStream.Worker.Definitions;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Topology;
using OmniStream.Kafka;

namespace OmniStream.Chaos.Tests;

/// <summary>
/// Two worker processes under load, one of them killed with SIGKILL at random moments and
/// restarted (sometimes on an empty state directory): at the end every expected action exists,
/// none is extra, and every customer's stored journey equals the fold of its events computed here.
/// </summary>
[Category("Chaos")]
public class WorkerCrashTests
{
    private const int Customers = 1_200;
    private const int Kills = 10;
    private static readonly TimeSpan TrafficDuration = TimeSpan.FromSeconds(45);
    // Shorter than the identity stage's partitions stay unowned under repeated kills (session
    // timeouts, rejoins, restores: over 30 s was seen), so reminders fall due while later events of
    // their carts are stuck upstream: the journeys stage must hold its timers back until the
    // identity stage's watermarks show every input partition forwarded past their due time.
    private static readonly TimeSpan CartIdleTime = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(150);

    [Test]
    public async Task Workers_killed_under_load_lose_nothing_and_double_nothing()
    {
        var seed = TestContext.CurrentContext.Random.Next(1, 100_000);
        TestContext.Progress.WriteLine($"chaos seed {seed}");
        var random = new Random(seed);
        await using var cluster = await KafkaTestClusters.StartAsync();
        var app = $"chaos-{seed}";
        await cluster.TopicAdmin.ApplyAsync([.. TopicCatalog.All, .. WorkerTopology.InternalTopics(app)]);
        var root = Path.Combine(Path.GetTempPath(), "omnistream-chaos-" + Guid.NewGuid().ToString("N"));
        // The embedded brokers keep a killed member until its session times out (45 s by default).
        var settings = new Dictionary<string, string>(ShortSessions.Settings)
        {
            ["OmniStream:Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = app,
            ["OmniStream:Policies:File"] = ShippedPolicies.WriteWithCartIdle(root, CartIdleTime),
            // The failure report shows the workers' log tails: when each line was written matters.
            ["Logging:Console:TimestampFormat"] = "HH:mm:ss.fff ",
        };
        var workers = new[] { "w1", "w2" }.Select(id => StartWorker(id, root, settings, wipe: false)).ToArray();
        try
        {
            var traffic = new ChaosTraffic(Customers, seed);
            var kills = 0;
            // A worker that dies on its own before the next kill would be restarted by it, unseen: each kill looks first.
            var exitedOnTheirOwn = new List<string>();
            using (var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = cluster.BootstrapServers }, new AvroSerde<InteractionEvent>(SchemaCatalog.Default)))
            {
                var sending = SendTrafficAsync(publisher, traffic);
                var killing = Task.Run(async () =>
                {
                    var killEvery = TrafficDuration / (Kills + 1);
                    for (var i = 0; i < Kills; i++)
                    {
                        await Task.Delay(killEvery * (0.5 + random.NextDouble()));
                        var victim = random.Next(workers.Length);
                        exitedOnTheirOwn.AddRange(workers.Where(w => w.HasExited).Select(w => w.Output));
                        workers[victim].Kill();
                        kills++;
                        var wipe = i % 3 == 2;
                        TestContext.Progress.WriteLine($"{DateTime.Now:HH:mm:ss.fff} kill -9 #{kills}: {workers[victim].Name}{(wipe ? ", restarted on an empty state directory" : "")}");
                        workers[victim].Dispose();
                        workers[victim] = StartWorker(workers[victim].Name, root, settings, wipe);
                    }
                });
                await Task.WhenAll(sending, killing);
            }
            Assert.That(exitedOnTheirOwn.Concat(workers.Where(w => w.HasExited).Select(w => w.Output)), Is.Empty, "a worker exited on its own");

            TestContext.Progress.WriteLine($"{DateTime.Now:HH:mm:ss.fff} traffic sent; reading the actions");
            var expected = ExpectedOutcome(traffic, settings["OmniStream:Policies:File"]);
            using (var actions = new TopicReader(cluster.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name)))
            {
                var seen = new HashSet<Guid>();
                var decoded = 0;
                await actions.ReadUntilAsync(r =>
                {
                    for (; decoded < r.Count; decoded++)
                    {
                        seen.Add(Decode(r[decoded].Message.Value).actionId);
                    }
                    return expected.Actions.Values.All(seen.Contains) || workers.Any(w => w.HasExited);
                }, Deadline, $"{expected.Actions.Count} expected reminders");
            }
            var exits = await Task.WhenAll(workers.Select(w => w.StopAsync(TimeSpan.FromSeconds(60))));
            Assert.That(exits, Is.All.EqualTo(0), "workers stopped with SIGTERM exit 0");

            var report = Compare(cluster.BootstrapServers, app, expected);
            TestContext.Progress.WriteLine(
                $"chaos: customers={Customers} events={traffic.EventCount} kills={kills} expected_actions={expected.Actions.Count} " +
                $"lost={report.Lost} duplicated={report.Duplicated} extra={report.Extra} redelivered_copies={report.Copies} " +
                $"journeys_checked={expected.Journeys.Count} journeys_wrong={report.WrongJourneys.Count}");
            Assert.Multiple(() =>
            {
                Assert.That(kills, Is.GreaterThanOrEqualTo(Kills));
                Assert.That(report.Lost, Is.Zero, "expected reminders missing");
                Assert.That(report.Duplicated, Is.Zero, "a customer reminded twice for the same cart");
                Assert.That(report.Extra, Is.Zero, "reminders nobody should have received");
                Assert.That(report.WrongJourneys, Is.Empty, "stored journeys that differ from the fold of their events");
                if (cluster.Embedded is null)
                {
                    // A broker that isolates transactions hides the outputs of aborted ones.
                    Assert.That(report.Copies, Is.Zero, "copies of an action visible to read_committed readers");
                }
            });
        }
        finally
        {
            foreach (var worker in workers)
            {
                if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
                {
                    TestContext.Progress.WriteLine($"--- log tail of {worker.Name} (now {DateTime.Now:HH:mm:ss.fff})\n{worker.Output}");
                }
                worker.Dispose();
            }
            RocksDbStore.Wipe(root);
        }
    }

    private static ServiceProcess StartWorker(string instanceId, string root, Dictionary<string, string> settings, bool wipe)
    {
        var directory = Path.Combine(root, instanceId);
        if (wipe)
        {
            RocksDbStore.Wipe(directory);
        }
        return WorkerProcesses.Start(instanceId, directory, settings).Process;
    }

    private static async Task SendTrafficAsync(ChannelPublisher publisher, ChaosTraffic traffic)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < traffic.Customers; i++)
        {
            // Paced load, not synchronisation: customer i starts at its share of the duration.
            var due = TrafficDuration * i / traffic.Customers;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
            foreach (var interaction in traffic.NextBurst(i, DateTime.UtcNow))
            {
                await publisher.PublishAsync(interaction);
            }
        }
    }

    // The decisions of the worker's policies over each customer's events, deciding each waiting moment at its due time.
    private static Outcome ExpectedOutcome(ChaosTraffic traffic, string policyFile)
    {
        var policies = PolicyFile.Parse(File.ReadAllText(policyFile), policyFile);
        var actions = new Dictionary<string, Guid>();
        var journeys = new Dictionary<string, string>();
        var fold = new CustomerFold(new FoldOptions());
        var engine = new DecisionEngine(fold);
        // The workers run with the segment file shipped next to them.
        var segmentFile = Path.Combine(AppContext.BaseDirectory, "segments.yaml");
        var segments = SegmentFile.Parse(File.ReadAllText(segmentFile), segmentFile);
        void Segmented(CustomerState state) =>
            SegmentEvaluator.Update(state, segments, SegmentMetrics.Of(state, SegmentEvaluator.AsOf(state, null), fold.Options.OrderWindow));
        foreach (var (customer, events) in traffic.Sent)
        {
            var state = new CustomerState(customer);
            foreach (var interaction in events)
            {
                var before = state.Segments.ToHashSet();
                fold.Apply(state, interaction);
                Segmented(state);
                engine.OnChange(policies, state, interaction, [.. state.Segments.Where(s => !before.Contains(s))], interaction.receivedAt, _ => ArmStats.None);
            }
            if (state.Pending.Values.FirstOrDefault(p => p.IsWaiting && p.Moment == ShippedPolicies.CartIdleMoment) is { } cart)
            {
                foreach (var decision in engine.OnTime(policies, state, [], cart.DueAt, _ => ArmStats.None).Where(d => d.Action is not null))
                {
                    actions[customer] = decision.Action!.actionId;
                }
            }
            Segmented(state);
            journeys[customer] = Canonical(state);
        }
        return new Outcome(actions, journeys);
    }

    private static Report Compare(string bootstrapServers, string app, Outcome expected)
    {
        var seen = TopicSnapshot.Read(bootstrapServers, TopicCatalog.AllActions.Select(t => t.Name), Deadline)
            .Select(r => Decode(r.Message.Value!)).ToList();
        var copiesById = seen.GroupBy(a => a.actionId).ToDictionary(g => g.Key, g => g.Count());
        var idsByCustomer = seen.GroupBy(a => a.customerId).ToDictionary(g => g.Key, g => g.Select(a => a.actionId).Distinct().ToList());
        var lost = expected.Actions.Count(e => !copiesById.ContainsKey(e.Value));
        var duplicated = idsByCustomer.Where(c => expected.Actions.ContainsKey(c.Key)).Sum(c => c.Value.Count - 1);
        foreach (var customer in idsByCustomer.Where(c => c.Value.Count > 1 || !expected.Actions.ContainsKey(c.Key)).Select(c => c.Key))
        {
            TestContext.Progress.WriteLine($"unexpected actions for {customer}: " + string.Join("; ", seen.Where(a => a.customerId == customer)
                .Select(a => $"{a.actionId} trigger {a.triggerEventId} due {a.triggeredAt:HH:mm:ss.fff} decided {a.decidedAt:HH:mm:ss.fff}")));
        }
        var extra = idsByCustomer.Where(c => !expected.Actions.ContainsKey(c.Key)).Sum(c => c.Value.Count);
        var copies = copiesById.Values.Sum(n => n - 1);

        var stored = StoredCustomers.FromLog(TopicSnapshot.Read(bootstrapServers, [ChangelogTopics.For(app, WorkerTopology.CustomersStore)], Deadline)
                .Select(r => (r.Message.Key, r.Message.Value)))
            .ToDictionary(customer => customer.Key, customer => Canonical(customer.Value));
        var wrong = expected.Journeys
            .Where(e => !stored.TryGetValue(e.Key, out var journey) || journey != e.Value)
            .Select(e => $"{e.Key}: expected {e.Value}, stored {stored.GetValueOrDefault(e.Key) ?? "nothing"}")
            .ToList();
        return new Report(lost, duplicated, extra, copies, wrong);
    }

    // The state as the test can predict it: the actions the worker records carry its decision times, so
    // only their ids are compared (they are the reminders checked above).
    // Whether a moment was decided yet (and so still holds its trace and facts), and when, depends on the worker's clock and on when the test looks (a
    // moment that sends nothing leaves no trace the test could wait for, nor do the moments that sent nothing);
    // which actions were sent does not. Nor whether a visitor's events reached the customer through the cookie's
    // state (absorbed at login) or after it (the login passed them on the way): on different partitions, either can come first.
    private static string Canonical(CustomerState state)
    {
        var record = LegacyFormats.FromWorkingState(state);
        return Encoding.UTF8.GetString(LegacyFormats.ToJson(record with
        {
            Actions = [],
            Silent = [],
            Absorbed = [],
            Pending = record.Pending.SetItems(record.Pending.Values.Select(p => KeyValuePair.Create(p.Key, p.Done(DateTime.MinValue) with { DoneAt = null }))),
        })) + " actions=" + string.Join(",", state.Actions.Select(a => a.ActionId));
    }

    private static readonly AvroSerde<NextBestAction> Actions = new(SchemaCatalog.Default);

    // Without a registry the serde completes synchronously.
    private static NextBestAction Decode(byte[] value) => Actions.DeserializeAsync(value).AsTask().GetAwaiter().GetResult();

    private sealed record Outcome(Dictionary<string, Guid> Actions, Dictionary<string, string> Journeys);

    private sealed record Report(int Lost, int Duplicated, int Extra, int Copies, List<string> WrongJourneys);
}
