using System.Text.Json;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Testing.Http;
using OmniStream.Testing.Processes;
using OmniStream.Worker.Topology;

namespace OmniStream.Deployment.Tests;

/// <summary><c>omnistream lag</c> against a running worker, then against the records it left unread once stopped.</summary>
public class LagCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Lag_shows_every_stage_partition_with_its_owner_and_fails_the_check_once_records_wait()
    {
        var app = "lag-" + Guid.NewGuid().ToString("N")[..6];
        await OutageTests.CreateTopicsAsync(app);
        var (worker, api) = OutageTests.Start("lagged", app);
        using var _ = worker;
        using (var http = TestCredentials.AdminClient(api))
        {
            await OutageTests.WaitHealthyAsync(http, worker);
            // Up is not yet owning: wait until every stage holds all its partitions (and has announced them).
            await Testing.Wait.UntilAsync(async () =>
            {
                var health = JsonDocument.Parse(await http.GetStringAsync("/health")).RootElement;
                return health.GetProperty("stages").EnumerateArray().All(s => s.GetProperty("assignedPartitions").GetInt32() == s.GetProperty("inputPartitions").GetInt32());
            }, Deadline, "the worker owning every partition");
        }

        var running = await LagAsync(app, "--max-lag-seconds", "3600");
        Assert.That(await worker.StopAsync(Deadline), Is.Zero, worker.Output);
        var web = TopicCatalog.Interactions(Schemas.Contracts.Channel.WEB).Name;
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = ClusterFixture.Cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 3; i++)
            {
                await producer.ProduceAsync(new TopicPartition(web, 2), new Message<string, string> { Key = "k", Value = "unread" });
            }
        }
        var stopped = await LagAsync(app, "--max-lag-seconds", "0");

        var expectedRows = WorkerTopology.StageInputs(app).Sum(stage => stage.Value.Count) * WorkerTopology.Partitions;
        Assert.That(running.Exit, Is.Zero);
        Assert.That(running.Rows, Has.Count.EqualTo(expectedRows));
        Assert.That(running.Rows.Select(r => r.GetProperty("stage").GetString()).Distinct(), Is.EquivalentTo(WorkerTopology.StageInputs(app).Keys));
        Assert.That(running.Rows.Select(r => r.GetProperty("owner").GetString()), Is.All.EqualTo("lagged"), "every partition owned by the one worker");
        Assert.That(stopped.Exit, Is.EqualTo(3), "a lag over --max-lag-seconds: the check failed, the command did not");
        var waiting = stopped.Rows.Single(r => r.GetProperty("topic").GetString() == web && r.GetProperty("partition").GetInt32() == 2);
        Assert.That(waiting.GetProperty("records").GetInt64(), Is.EqualTo(3));
        Assert.That(waiting.GetProperty("seconds").GetDouble(), Is.GreaterThanOrEqualTo(0));
        Assert.That(waiting.GetProperty("owner").ValueKind, Is.EqualTo(JsonValueKind.Null), "a stopped worker gives its partitions up");
    }

    [Test]
    public async Task Lag_pointed_at_an_application_the_brokers_do_not_hold_says_so_at_once_naming_what_it_found()
    {
        var app = "lag-" + Guid.NewGuid().ToString("N")[..6];
        await OutageTests.CreateTopicsAsync(app);

        using var lag = ServiceProcess.Start("lag-missing", "omnistream.dll", FailureModeTests.Directory("lag-missing"), null,
            "lag", "--bootstrap-servers", ClusterFixture.Cluster.BootstrapServers, "--application-id", "no-such-app");
        var exit = await lag.WaitForExitAsync(Deadline);

        Assert.That(exit, Is.EqualTo(2), lag.Output);
        Assert.That(lag.Stderr, Does.StartWith("lag: no application 'no-such-app' on these brokers: its topic no-such-app-instances does not exist")
            .And.Contain(app), "the applications it found (not a read timeout after 30 s)");
    }

    private static async Task<(int Exit, List<JsonElement> Rows)> LagAsync(string app, params string[] options)
    {
        using var lag = ServiceProcess.Start("lag", "omnistream.dll", FailureModeTests.Directory("lag"), null,
            ["lag", "--bootstrap-servers", ClusterFixture.Cluster.BootstrapServers, "--application-id", app, "--json", .. options]);
        var exit = await lag.WaitForExitAsync(Deadline);
        return (exit, [.. lag.Stdout.Select(line => JsonDocument.Parse(line).RootElement.Clone())]);
    }
}
