using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Hosting;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Testing.Processes;
using OmniStream.Kafka;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// Every query of the Grafana dashboard (deploy/grafana) runs on Debian's Prometheus scraping a worker
/// and a gateway process that handled traffic, a dead letter and a webhook delivery: none may fail to
/// parse or name a metric the services do not export; the lag, latency and stage series read through
/// Prometheus' query API are the worker's.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public partial class GrafanaDashboardTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    // Grafana's own variables, as Grafana would expand them.
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["$__rate_interval"] = "1m",
        ["$__interval"] = "15s",
        ["$__range"] = "1h",
        ["$instance"] = ".*",
    };

    [Test]
    public void Every_panel_has_a_unique_id_a_data_source_variable_and_queries()
    {
        var panels = Panels();

        Assert.That(panels.Select(p => p.GetProperty("id").GetInt32()), Is.Unique);
        foreach (var panel in panels.Where(p => p.GetProperty("type").GetString() != "row"))
        {
            Assert.That(panel.GetProperty("datasource").GetProperty("uid").GetString(), Is.EqualTo("${datasource}"), panel.GetProperty("title").GetString());
            Assert.That(panel.GetProperty("targets").GetArrayLength(), Is.GreaterThan(0), panel.GetProperty("title").GetString());
        }
    }

    [Test]
    public async Task Every_panel_query_parses_and_names_only_exported_metrics_on_a_real_prometheus()
    {
        if (!PrometheusServer.IsInstalled)
        {
            Assert.Ignore($"no {PrometheusServer.Executable} (apt-get install prometheus; .ci/run installs it)");
        }
        var expressions = Panels().Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (Panel: p.GetProperty("title").GetString()!, Expr: Expand(t.GetProperty("expr").GetString()!))))
            .ToList();
        var names = expressions.SelectMany(e => MetricName().Matches(e.Expr).Select(m => m.Value)).ToHashSet();
        Assert.That(expressions.Where(e => GrafanaVariable().IsMatch(e.Expr)), Is.Empty, "a variable the test does not know");

        var app = "grafana-" + Guid.NewGuid().ToString("N")[..6];
        await OutageTests.CreateTopicsAsync(app);
        using var webhook = WebhookSink.Start();
        var (worker, workerApi) = OutageTests.Start("grafana-worker", app);
        using var ownedWorker = worker;
        var gatewayUrl = LoopbackPort.FreeUrl();
        using var gateway = ServiceProcess.Start("grafana-gateway", "omnistream-gateway.dll", FailureModeTests.Directory("grafana-gateway"),
            new Dictionary<string, string>(TestCredentials.Settings)
            {
                ["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers,
                ["OmniStream:Gateway:Url"] = gatewayUrl,
                ["OmniStream:Gateway:InstanceId"] = "grafana-gateway",
                ["OmniStream:Gateway:Webhooks:0:Channel"] = nameof(Channel.CALL_CENTER),
                ["OmniStream:Gateway:Webhooks:0:Url"] = webhook.Url,
                ["OmniStream:Gateway:Webhooks:0:Secret"] = "a-webhook-secret-of-the-test",
            });
        using (var http = TestCredentials.AdminClient(workerApi))
        {
            await OutageTests.WaitHealthyAsync(http, worker);
        }
        // A detractor's answer: a callback task for the call center, delivered by webhook; and a record no one can read.
        using (var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = ClusterFixture.Cluster.BootstrapServers }, new AvroSerde<InteractionEvent>(SchemaCatalog.Default)))
        {
            await publisher.PublishAsync(new Interactions("grafana-" + app, DateTime.UtcNow).SurveyAnswered(Channel.WEB, nps: 1));
        }
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = ClusterFixture.Cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(TopicCatalog.Interactions(Channel.WEB).Name, new Message<string, byte[]> { Key = "unreadable", Value = [1, 2, 3] });
        }
        using var prometheus = PrometheusServer.Start(new Dictionary<string, string[]>
        {
            ["omnistream-worker"] = [workerApi.Authority],
            ["omnistream-gateway"] = [new Uri(gatewayUrl).Authority],
        });

        IReadOnlySet<string> known = new HashSet<string>();
        await Wait.UntilAsync(async () =>
        {
            Assert.That(gateway.HasExited, Is.False, gateway.Output);
            known = await prometheus.MetricNamesAsync();
            return names.All(known.Contains);
        }, Deadline, () => $"every metric the dashboard names to be scraped; missing: {string.Join(", ", names.Where(n => !known.Contains(n)))}");
        var problems = new List<string>();
        foreach (var (panel, expr) in expressions)
        {
            if (await prometheus.ProblemAsync(expr) is { } problem)
            {
                problems.Add($"{panel}: {problem}");
            }
        }
        var lag = await prometheus.QueryAsync(expressions.First(e => e.Panel == "Lag in records, by stage and partition").Expr);
        var latency = await prometheus.QueryAsync("histogram_quantile(0.99, sum by (le) (omnistream_decisions_trigger_to_action_milliseconds_bucket))");
        var stages = await prometheus.QueryAsync("omnistream_streaming_stage_running");

        TestContext.Progress.WriteLine($"grafana: {expressions.Count} queries, {names.Count} metrics, all scraped; {lag.Count} lag series; webhook calls {webhook.Calls}");
        Assert.That(problems, Is.Empty);
        Assert.That(lag.Select(s => s.GetProperty("metric").GetProperty("stage").GetString()).Distinct(), Is.EquivalentTo(new[] { "ingest", "identity", "customers", "kpis" }));
        Assert.That(double.Parse(latency.Single().GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0),
            "the detractor's callback task took some time from the event");
        Assert.That(stages.Select(s => (s.GetProperty("metric").GetProperty("job").GetString(), s.GetProperty("value")[1].GetString())),
            Is.EquivalentTo(Enumerable.Repeat(("omnistream-worker", "1"), 4)), "the four stages of the worker, running");
        Assert.That(await worker.StopAsync(Deadline), Is.Zero, worker.Output);
        Assert.That(await gateway.StopAsync(Deadline), Is.Zero, gateway.Output);
    }

    private static List<JsonElement> Panels()
    {
        var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "deploy/grafana/dashboards/omnistream.json"))).RootElement;
        return [.. dashboard.GetProperty("panels").EnumerateArray()];
    }

    private static string Expand(string expr) => Variables.Aggregate(expr, (text, variable) => text.Replace(variable.Key, variable.Value, StringComparison.Ordinal));

    // $name or ${name}; label_replace's "$1" is PromQL's, not Grafana's.
    [GeneratedRegex(@"\$\{?[A-Za-z_]")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex("omnistream_[a-z_]+")]
    private static partial Regex MetricName();

    /// <summary>A channel backend's webhook that takes every call.</summary>
    private sealed class WebhookSink : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _calls;

        private WebhookSink(string url)
        {
            Url = url;
            _listener.Prefixes.Add(url);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    try
                    {
                        var context = await _listener.GetContextAsync();
                        Interlocked.Increment(ref _calls);
                        context.Response.StatusCode = 200;
                        context.Response.Close();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                }
            });
        }

        public string Url { get; }

        public int Calls => Volatile.Read(ref _calls);

        public static WebhookSink Start() => new(LoopbackPort.FreeUrl() + "/");

        public void Dispose() => _listener.Close();
    }
}
