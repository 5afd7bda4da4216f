using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OmniStream.Channels.Publishing;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Hosting;
using OmniStream.Streaming.Queries;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Processes;
using OmniStream.Kafka;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// The README's three-terminal recipe, run as written: <c>omnistream dev-cluster --env-file</c>, two
/// worker instances and a gateway, each its own process started from the env file; channel backends
/// publish with the SDK or post JSON to the gateway, and receive actions through the gateway's
/// server-sent events.
/// </summary>
// Its own cluster and processes: it may run beside the other fixture that has its own.
[Parallelizable(ParallelScope.Self)]
public class SeparateProcessesTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_dev_cluster_two_workers_and_a_gateway_run_apart_serve_every_customer_on_either_worker_and_stop_cleanly()
    {
        var root = Path.Combine(Path.GetTempPath(), "omnistream-three-terminals-" + Guid.NewGuid().ToString("N")[..8]);
        var envFile = Path.Combine(root, "dev.env");
        var processes = new List<ServiceProcess>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Step(string what) => TestContext.Progress.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
        try
        {
            // Terminal 1.
            var cluster = Started(processes, ServiceProcess.Start("dev-cluster", "omnistream.dll", root, null, "dev-cluster", "--brokers", "1", "--env-file", envFile));
            var token = (await cluster.WaitForLineAsync(l => l.StartsWith("token: ", StringComparison.Ordinal), StartDeadline, "the token line"))["token: ".Length..];
            var env = File.ReadAllLines(envFile).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

            // Terminals 2 and 3: the same worker twice, as two instances, and the gateway.
            var workers = new[] { "worker-1", "worker-2" }.Select(id => WorkerProcesses.Start(id, Path.Combine(root, id), env, withTestCredentials: false)).ToList();
            workers.ForEach(w => Started(processes, w.Process));
            var gatewayUrl = LoopbackPort.FreeUrl();
            var gateway = Started(processes, ServiceProcess.Start("gateway", "omnistream-gateway.dll", Path.Combine(root, "gateway"),
                new Dictionary<string, string>(env) { ["OmniStream:Gateway:Url"] = gatewayUrl, ["OmniStream:Gateway:InstanceId"] = "gateway-1" }));

            using var http = new HttpClient { DefaultRequestHeaders = { Authorization = new("Bearer", token) } };
            Step("cluster, workers and gateway started");
            await SharedPartitions.WaitAsync(http, workers.Select(w => w.Api).ToList(), processes, StartDeadline);
            Step("the workers share the partitions");
            await Wait.UntilAsync(async () => await SharedPartitions.StatusAsync(http, new Uri(new Uri(gatewayUrl), "/health")) == HttpStatusCode.OK || gateway.HasExited,
                StartDeadline, "the gateway's health");
            Assert.That(gateway.HasExited, Is.False, gateway.Output);

            await using var actions = ServerSentEvents.Open(new Uri(new Uri(gatewayUrl), "/actions/call_center/events"), token);
            await Wait.UntilAsync(() => actions.Status is not null, StartDeadline, "the event stream to open");
            var customers = SharedPartitions.CustomersOnEveryPartition("three-terminals");
            var kafka = new KafkaOptions { BootstrapServers = env["OMNISTREAM__KAFKA__BOOTSTRAPSERVERS"] };
            // A detractor's answer calls for a callback task, at once, on the call center. Half the customers answer
            // through a backend that uses the SDK, half through one that posts JSON to the gateway.
            var throughHttp = customers.Where((_, i) => i % 2 == 1).ToList();
            using (var publisher = new ChannelPublisher(kafka, new AvroSerde<InteractionEvent>(SchemaCatalog.Default)))
            {
                foreach (var customer in customers.Except(throughHttp))
                {
                    await publisher.PublishAsync(new Interactions(customer).SurveyAnswered(Channel.WEB, nps: 2));
                }
            }
            var batch = throughHttp.Select(customer => new
            {
                occurredAt = DateTime.UtcNow.ToString("O"),
                channel = "WEB",
                subject = new { customerId = customer },
                payload = new { type = "SurveyAnswered", surveyId = "nps-http", nps = 2 },
            });
            using (var posted = await http.PostAsJsonAsync(new Uri(new Uri(gatewayUrl), "/events"), batch))
            {
                Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await posted.Content.ReadAsStringAsync());
            }
            await Wait.UntilAsync(() => customers.All(c => actions.Actions.Any(a => a.GetProperty("customerId").GetString() == c)),
                StartDeadline, "a callback task for every customer through the gateway's event stream");
            Step("every action received through the gateway");

            // Each worker owns some partitions and not the others: every customer asked of both is answered by one of them second-hand.
            // An action can be read before its worker's store holds the commit that sent it (a full CI run saw one 404): each
            // view is waited for, within the deadline.
            foreach (var customer in customers)
            {
                foreach (var (_, api) in workers)
                {
                    JsonElement view = default;
                    await Wait.UntilAsync(async () =>
                    {
                        using var response = await http.GetAsync(new Uri(api, $"/customers/{customer}"));
                        if (response.StatusCode == HttpStatusCode.NotFound)
                        {
                            return false;
                        }
                        view = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
                        return true;
                    }, StartDeadline, $"the view of {customer} through {api}");
                    Assert.That(view.GetProperty("lastNps").GetProperty("score").GetInt32(), Is.EqualTo(2), $"{customer} through {api}");
                }
            }

            // Ctrl+C of the three terminals, as an orchestrator would: SIGTERM, gateway and workers first, the cluster last.
            var exits = new Dictionary<string, int>();
            foreach (var process in processes.AsEnumerable().Reverse())
            {
                exits[process.Name] = await process.StopAsync(StopDeadline);
                Step($"{process.Name} stopped");
            }
            Step("every process stopped");
            Assert.Multiple(() =>
            {
                foreach (var process in processes)
                {
                    Assert.That(exits[process.Name], Is.Zero, process.Output);
                    Assert.That(process.CrashedNatively, Is.False, process.Output);
                    Assert.That(process.HasExited, Is.True, $"{process.Name} left behind");
                }
                // Views were forwarded between the workers: their logs name no customer (HttpClient's request lines carried ids).
                foreach (var (worker, _) in workers)
                {
                    Assert.That(customers.Where(c => worker.Output.Contains(c, StringComparison.Ordinal)), Is.Empty, $"customer ids in {worker.Name}'s logs");
                }
                // Logs are JSON lines (the workers wrote some above): no logged value can forge a line.
                foreach (var process in processes.Where(p => p.Name != "dev-cluster"))
                {
                    Assert.That(process.Stdout, Is.All.Matches<string>(IsJsonObject), $"{process.Name}'s log lines");
                }
            });
        }
        catch
        {
            processes.ForEach(p => TestContext.Out.WriteLine(p.Output));
            throw;
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
            Streaming.State.RocksDbStore.Wipe(root);
        }
    }

    private static ServiceProcess Started(List<ServiceProcess> processes, ServiceProcess process)
    {
        processes.Add(process);
        return process;
    }

    private static bool IsJsonObject(string? line)
    {
        try
        {
            return line is not null && JsonDocument.Parse(line).RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
