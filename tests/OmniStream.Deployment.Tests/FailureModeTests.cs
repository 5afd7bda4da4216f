using System.Net;
using OmniStream.Channels.Topics;
using OmniStream.Streaming.Hosting;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Processes;
using OmniStream.Worker.Topology;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// A worker or a gateway that cannot do its job says why in one line and exits non-zero, after an
/// orderly teardown: never a native crash, never a process left half alive.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class FailureModeTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_worker_with_a_bad_setting_exits_2_naming_the_setting()
    {
        using var worker = StartWorker("bad-setting", new() { ["OmniStream:Stream:CommitInterval"] = "00:00:00" });

        var exit = await worker.WaitForExitAsync(ExitDeadline);

        AssertFailedCleanly(worker, exit, expected: 2, "omnistream-worker: stopped: OmniStream:Stream:CommitInterval must be between 10 ms and 1 minute");
    }

    [Test]
    public async Task A_worker_whose_internal_topics_are_missing_on_brokers_that_cannot_create_them_exits_2_naming_them()
    {
        using var worker = StartWorker("no-topics", new() { ["OmniStream:Stream:ApplicationId"] = "no-topics-app" });

        var exit = await worker.WaitForExitAsync(ExitDeadline);

        AssertFailedCleanly(worker, exit, expected: 2, "no-topics-app-ingest-repartition");
        Assert.That(worker.Stderr, Does.Contain("no-topics-app-instances").And.Contain("omnistream dev-cluster --application-id no-topics-app"));
    }

    [Test]
    public async Task A_worker_whose_brokers_do_not_answer_exits_1_naming_them()
    {
        var nowhere = LoopbackPort.FreeUrl().Replace("http://", "", StringComparison.Ordinal);
        using var worker = StartWorker("no-brokers", new() { ["OmniStream:Kafka:BootstrapServers"] = nowhere });

        var exit = await worker.WaitForExitAsync(ExitDeadline);

        AssertFailedCleanly(worker, exit, expected: 1, $"no Kafka broker at {nowhere} answered");
    }

    [Test]
    public async Task A_gateway_on_brokers_without_its_topics_exits_2_naming_them()
    {
        await using var empty = KafkaTestClusters.StartEmbedded(brokers: 1);
        using var gateway = ServiceProcess.Start("gateway-no-topics", "omnistream-gateway.dll", Directory("gateway-no-topics"),
            new Dictionary<string, string>(Testing.Http.TestCredentials.Settings)
            {
                ["OmniStream:Kafka:BootstrapServers"] = empty.BootstrapServers,
                ["OmniStream:Gateway:Url"] = LoopbackPort.FreeUrl(),
            });

        var exit = await gateway.WaitForExitAsync(ExitDeadline);

        AssertFailedCleanly(gateway, exit, expected: 2, "omnistream-gateway: stopped: ");
        Assert.That(gateway.Stderr, Does.Contain(TopicCatalog.ActionOutcomes.Name).And.Contain("omnistream topics apply"));
    }

    private static readonly Dictionary<string, string> SaslSettings = new()
    {
        ["OmniStream:Kafka:SecurityProtocol"] = "SASL_PLAINTEXT",
        ["OmniStream:Kafka:Sasl:Mechanism"] = "SCRAM-SHA-256",
        ["OmniStream:Kafka:Sasl:Username"] = "omnistream",
        ["OmniStream:Kafka:Sasl:Password"] = "never-in-a-log-0b5e",
    };

    // The embedded brokers speak no SASL (librdkafka's mock has no SaslHandshake handler): a client
    // that tries shows the settings reached it; on brokers that do, a wrong password fails the same way.
    [TestCase("omnistream-worker")]
    [TestCase("omnistream-gateway")]
    [TestCase("omnistream topics apply")]
    public async Task Sasl_settings_reach_the_process_which_exits_1_when_the_brokers_refuse_it_and_never_logs_the_password(string process)
    {
        var settings = new Dictionary<string, string>(SaslSettings)
        {
            ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
            ["OmniStream:Gateway:Url"] = LoopbackPort.FreeUrl(),
        };
        using var started = process switch
        {
            "omnistream-worker" => StartWorker("sasl-worker", settings),
            "omnistream-gateway" => ServiceProcess.Start("sasl-gateway", "omnistream-gateway.dll", Directory("sasl-gateway"),
                new Dictionary<string, string>(Testing.Http.TestCredentials.Settings).Concat(settings).ToDictionary()),
            _ => ServiceProcess.Start("sasl-cli", "omnistream.dll", Directory("sasl-cli"), settings,
                "topics", "apply", "--bootstrap-servers", ClusterFixture.Cluster.BootstrapServers),
        };

        var exit = await started.WaitForExitAsync(ExitDeadline);

        AssertFailedCleanly(started, exit, expected: 1, "refused this client");
        Assert.That(started.Stderr, Does.Contain("SASL"));
        Assert.That(started.Output, Does.Not.Contain(SaslSettings["OmniStream:Kafka:Sasl:Password"]));
    }

    internal static ServiceProcess StartWorker(string name, Dictionary<string, string> settings)
    {
        var all = ShortSessions.With(new Dictionary<string, string>
        {
            ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
        });
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return WorkerProcesses.Start(name, Directory(name), all).Process;
    }

    internal static void AssertFailedCleanly(ServiceProcess process, int exit, int expected, string line)
    {
        TestContext.Out.WriteLine($"{process.Name}: exit {exit}: {process.Stderr.Split('\n').LastOrDefault(l => l.Contains("stopped:", StringComparison.Ordinal) || l.StartsWith("omnistream:", StringComparison.Ordinal))}");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(expected), process.Output);
            Assert.That(process.Stderr.Split('\n'), Has.One.Contains(line), process.Output);
            Assert.That(process.CrashedNatively, Is.False, process.Output);
        });
    }

    internal static string Directory(string name) =>
        Path.Combine(Path.GetTempPath(), "omnistream-failures", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
}
