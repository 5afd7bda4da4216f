using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Testing.Processes;
using OmniStream.Worker.Topology;
using OmniStream.Kafka;
using OmniStream.Testing.Kafka;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// Brokers that go away for a while, and a second instance that takes a running one's identity. Each test takes down or
/// injects errors into an embedded cluster of its own, so they run beside the other tests.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class OutageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Test]
    public async Task A_worker_rides_out_its_brokers_going_down_and_processes_the_events_sent_after()
    {
        await using var cluster = KafkaTestClusters.StartEmbedded(brokers: 1);
        var app = "outage-" + Guid.NewGuid().ToString("N")[..6];
        await CreateTopicsAsync(app, cluster);
        var (worker, api) = Start("outage", app, cluster: cluster);
        using var _ = worker;
        using var http = TestCredentials.AdminClient(api);
        await WaitHealthyAsync(http, worker);

        // The fault lasts longer than a transaction may stay open (10 s): every stage's transaction is lost.
        cluster.Embedded!.SetBrokerDown(-1);
        var outage = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(11));
        cluster.Embedded.SetBrokerUp(-1);
        TestContext.Progress.WriteLine($"brokers down for {outage.Elapsed.TotalSeconds:0.0} s; worker running: {!worker.HasExited}");

        var customer = "after-outage-" + Guid.NewGuid().ToString("N")[..6];
        using (var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = cluster.BootstrapServers }, new AvroSerde<InteractionEvent>(SchemaCatalog.Default)))
        {
            await publisher.PublishAsync(new Interactions(customer).SurveyAnswered(Channel.WEB, nps: 9));
        }
        await Wait.UntilAsync(async () => worker.HasExited || (await http.GetAsync($"/customers/{customer}")).StatusCode == HttpStatusCode.OK,
            Deadline, "the event sent after the outage in the customer's view");
        var exit = await worker.StopAsync(Deadline);

        Assert.That(exit, Is.Zero, worker.Output);
        Assert.That(worker.CrashedNatively, Is.False, worker.Output);
    }

    [Test]
    public async Task A_worker_whose_stage_meets_a_fatal_kafka_error_exits_1_naming_the_stage()
    {
        await using var cluster = KafkaTestClusters.StartEmbedded(brokers: 1);
        var app = "fatal-" + Guid.NewGuid().ToString("N")[..6];
        await CreateTopicsAsync(app, cluster);
        var (worker, api) = Start("fatal", app, cluster: cluster);
        using var _ = worker;
        using var http = TestCredentials.AdminClient(api);
        await WaitHealthyAsync(http, worker);

        // What a broker answers a producer whose transactional id another instance took over (the
        // embedded brokers do not fence by themselves): the instance must stop, not run on half alive.
        cluster.Embedded!.InjectRequestErrors(DevCluster.KafkaApi.EndTxn, Confluent.Kafka.ErrorCode.ProducerFenced);
        using (var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = cluster.BootstrapServers }, new AvroSerde<InteractionEvent>(SchemaCatalog.Default)))
        {
            await publisher.PublishAsync(new Interactions("fatal-" + Guid.NewGuid().ToString("N")[..6]).PageViewed(Channel.WEB));
        }
        var exit = await worker.WaitForExitAsync(Deadline);

        FailureModeTests.AssertFailedCleanly(worker, exit, expected: 1, "omnistream-worker: stopped: stage ");
        Assert.That(worker.Stderr, Does.Match("stopped: stage (ingest|identity|customers|kpis) failed: KafkaException: .*fenced"), worker.Output);
    }

    [Test]
    public async Task A_worker_whose_brokers_stay_away_longer_than_allowed_exits_1_saying_so()
    {
        await using var cluster = KafkaTestClusters.StartEmbedded(brokers: 1);
        var app = "gone-" + Guid.NewGuid().ToString("N")[..6];
        await CreateTopicsAsync(app, cluster);
        var (worker, api) = WorkerProcesses.Start("gone", FailureModeTests.Directory("gone"), new Dictionary<string, string>
        {
            ["OmniStream:Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = app,
            ["OmniStream:Stream:MaxBrokerOutage"] = "00:00:05",
        });
        using var _ = worker;
        using var http = TestCredentials.AdminClient(api);
        await WaitHealthyAsync(http, worker);

        cluster.Embedded!.SetBrokerDown(-1);
        var exit = await worker.WaitForExitAsync(Deadline);
        cluster.Embedded.SetBrokerUp(-1);

        FailureModeTests.AssertFailedCleanly(worker, exit, expected: 1, "omnistream-worker: stopped: ");
        Assert.That(worker.Stderr, Does.Contain("has reached no Kafka broker for").And.Contain("MaxBrokerOutage is 5 s"));
    }

    internal static async Task CreateTopicsAsync(string applicationId, IKafkaTestCluster? cluster = null) =>
        await (cluster ?? ClusterFixture.Cluster).TopicAdmin.ApplyAsync([.. TopicCatalog.All, .. WorkerTopology.InternalTopics(applicationId)]);

    internal static (ServiceProcess Process, Uri Api) Start(string name, string applicationId, string? instanceId = null, IKafkaTestCluster? cluster = null) =>
        WorkerProcesses.Start(instanceId ?? name, FailureModeTests.Directory(name), ShortSessions.With(new Dictionary<string, string>
        {
            ["OmniStream:Kafka:BootstrapServers"] = (cluster ?? ClusterFixture.Cluster).BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = applicationId,
        }));

    internal static async Task WaitHealthyAsync(HttpClient http, ServiceProcess worker) =>
        await Wait.UntilAsync(async () =>
        {
            if (worker.HasExited)
            {
                Assert.Fail($"{worker.Name} exited\n{worker.Output}");
            }
            try
            {
                return (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, Deadline, $"{worker.Name} healthy");
}
