using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OmniStream.Testing;
using OmniStream.Testing.Http;
using OmniStream.Testing.Processes;
using OmniStream.Testing.Registry;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// A channel backend in Python, with Avro and Kafka implementations nobody here wrote (Debian's
/// python3-avro and python3-confluent-kafka, <c>tools/python-interop/interop.py</c>), against a worker
/// process: it writes a detractor's survey answer and reads the callback action back, in both framings:
/// single-object encoding (schemas from <c>omnistream schemas fingerprints --json</c>) and Confluent
/// framing (schemas from the project's test registry over HTTP, registered by <c>omnistream schemas
/// register</c>, the worker not allowed to register).
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class PythonInteropTests
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private static readonly string Script = Path.Combine(Repository.Root, "tools", "python-interop", "interop.py");

    [OneTimeSetUp]
    public async Task RequirePythonLibraries()
    {
        var (exit, _, errors) = await RunAsync(Python, "-c", "import avro.io, confluent_kafka");
        if (exit != 0)
        {
            Assert.Ignore($"no python3-avro or python3-confluent-kafka for {Python} (apt-get install python3-avro python3-confluent-kafka; .ci/run installs them): {errors}");
        }
    }

    [Test]
    public async Task A_python_backend_writes_an_event_and_reads_its_action_in_single_object_encoding()
    {
        var fingerprints = Path.Combine(Path.GetTempPath(), $"fingerprints-{Guid.NewGuid():N}.json");
        var (listed, json, listErrors) = await RunAsync("dotnet", Path.Combine(AppContext.BaseDirectory, "omnistream.dll"), "schemas", "fingerprints", "--json");
        Assert.That(listed, Is.Zero, listErrors);
        await File.WriteAllTextAsync(fingerprints, json);

        var action = await RoundTripAsync("single-object", fingerprints, new Dictionary<string, string>());

        Assert.That(action.GetProperty("framing").GetString(), Is.EqualTo("single-object"));
        File.Delete(fingerprints);
    }

    [Test]
    public async Task A_python_backend_writes_an_event_and_reads_its_action_in_Confluent_framing_through_the_registry()
    {
        using var registry = new TestSchemaRegistry();
        var (registered, _, errors) = await RunAsync("dotnet", Path.Combine(AppContext.BaseDirectory, "omnistream.dll"), "schemas", "register", "--registry", registry.Url.ToString());
        Assert.That(registered, Is.Zero, errors);

        var action = await RoundTripAsync("confluent", registry.Url.ToString(), new Dictionary<string, string>
        {
            ["OmniStream:SchemaRegistry:Url"] = registry.Url.ToString(),
            ["OmniStream:SchemaRegistry:AutoRegister"] = "false",
        });

        Assert.That(action.GetProperty("framing").GetString(), Is.EqualTo("confluent"));
    }

    // A worker of its own; the Python backend sends the answer and waits for the callback task; the worker's view has the score.
    private static async Task<JsonElement> RoundTripAsync(string framing, string schemas, Dictionary<string, string> settings)
    {
        var app = "python-" + Guid.NewGuid().ToString("N")[..6];
        await OutageTests.CreateTopicsAsync(app);
        settings["OmniStream:Kafka:BootstrapServers"] = ClusterFixture.Cluster.BootstrapServers;
        settings["OmniStream:Stream:ApplicationId"] = app;
        var (worker, api) = WorkerProcesses.Start(app, FailureModeTests.Directory(app), settings);
        try
        {
            using var http = TestCredentials.AdminClient(api);
            await OutageTests.WaitHealthyAsync(http, worker);
            var customer = "python-" + Guid.NewGuid().ToString("N")[..8];

            var (exit, output, errors) = await RunAsync(Python, Script, framing, ClusterFixture.Cluster.BootstrapServers, customer, schemas);

            Assert.That(exit, Is.Zero, $"{errors}\n{worker.Output}");
            var answer = JsonDocument.Parse(output.Trim()).RootElement.Clone();
            var action = answer.GetProperty("action");
            JsonElement view = default;
            await Wait.UntilAsync(async () =>
            {
                using var response = await http.GetAsync($"/customers/{customer}");
                view = response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : default;
                return view.ValueKind == JsonValueKind.Object && view.GetProperty("lastNps").ValueKind == JsonValueKind.Object;
            }, Deadline, "the Python backend's answer in the customer's view");
            Assert.Multiple(() =>
            {
                Assert.That(action.GetProperty("customerId").GetString(), Is.EqualTo(customer));
                Assert.That(action.GetProperty("actionType").GetString(), Is.EqualTo("CALLBACK_TASK"));
                Assert.That(action.GetProperty("channel").GetString(), Is.EqualTo("CALL_CENTER"));
                Assert.That(view.GetProperty("lastNps").GetProperty("score").GetInt32(), Is.EqualTo(2));
            });
            return answer;
        }
        finally
        {
            Assert.That(await worker.StopAsync(Deadline), Is.Zero, worker.Output);
            worker.Dispose();
        }
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
