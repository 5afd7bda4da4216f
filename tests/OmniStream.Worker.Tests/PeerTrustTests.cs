using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniStream.Schemas.Contracts;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Peers;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Queries;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Worker.Api;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

/// <summary>
/// The instance directory and the requests between instances, attacked from outside: a record on
/// <c>&lt;app&gt;-instances</c> produced by an independent client cannot draw a request (nor a caller's
/// credential) to an endpoint it names, and even a genuine instance is asked with an assertion, never
/// with the caller's credential, and is not followed through a redirect or read past a bound.
/// </summary>
public class PeerTrustTests() : CustomerFixture("peer-trust")
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    [Test]
    public async Task A_forged_announcement_claiming_every_partition_draws_no_request_and_the_api_still_answers_from_the_owner()
    {
        await using var listener = await RecordingPeer.StartAsync(context => context.Response.WriteAsync("{}"));
        var refusedBefore = Refusals();
        // What anyone who may write the directory's topic could send: every partition, a time far ahead, the listener's address.
        Produce("customers/intruder", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Claim("intruder", listener.Url, WorkerTopology.CustomersStage, WorkerTopology.CustomersInput(Worker.ApplicationId)), Web)));
        Produce("kpis/intruder", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { body = Convert.ToBase64String(Claim("intruder", listener.Url, WorkerTopology.KpisStage, WorkerTopology.KpisInput(Worker.ApplicationId)).Encode()), mac = Convert.ToBase64String(new byte[32]) }, Web)));
        var queries = Worker.Services.GetRequiredService<StoreQueries>();
        // Read, whether refused or (as before signatures) believed.
        await Wait.UntilAsync(() => Refusals() >= refusedBefore + 2 || queries.Locate(WorkerTopology.CustomersStage, Encoding.UTF8.GetBytes(Customer)).Instance == "intruder",
            Deadline, "the directory reading both forged records");

        var bearer = TestCredentials.Token("agent-1", Permissions.All.ToArray());
        var answers = new List<(string Request, HttpStatusCode Status)>();
        foreach (var path in new[] { $"/customers/{Customer}", $"/privacy/export/{Customer}", "/kpis?window=day", "/ops/snapshot" })
        {
            answers.Add(($"{path} with the API key", (await Worker.Api.GetAsync(path)).Status));
            answers.Add(($"{path} with a bearer token", await StatusAsync(path, bearer)));
        }

        Assert.That(listener.Requests.Select(r => $"{r.Path} {string.Join(", ", r.Headers.Keys)}"), Is.Empty, "requests drawn to the forged endpoint");
        Assert.That(answers.Where(a => a.Status != HttpStatusCode.OK), Is.Empty, "answers from the real owner");
        Assert.That(Refusals(), Is.GreaterThanOrEqualTo(refusedBefore + 2));
    }

    [Test]
    public async Task A_genuine_instance_is_asked_with_an_assertion_never_the_callers_credential_and_is_not_followed_through_a_redirect_or_past_a_bound()
    {
        await using var other = await RecordingPeer.StartAsync(context => context.Request.Path == "/internal/kpis"
            ? context.Response.WriteAsync("""{"partitions":[],"cells":[]}""")
            : Redirect(context, "/stolen"));
        await using var huge = await RecordingPeer.StartAsync(context => context.Response.WriteAsync(new string(' ', PeerRequests.MaxAnswerBytes + 1) + "{}"));
        var seal = new AnnouncementSeal(PeerKeyOfTests.For("announcements"));
        foreach (var (instance, url) in new[] { ("worker-b", other.Url), ("worker-c", huge.Url) })
        {
            foreach (var (stage, input) in new[] { (WorkerTopology.CustomersStage, WorkerTopology.CustomersInput(Worker.ApplicationId)), (WorkerTopology.KpisStage, WorkerTopology.KpisInput(Worker.ApplicationId)) })
            {
                var key = InstanceAnnouncement.KeyOf(stage, instance);
                Produce(key, seal.Seal(key, Claim(instance, url, stage, input)));
            }
        }
        var ops = default(JsonElement);
        await Wait.UntilAsync(async () =>
        {
            ops = (await Worker.Api.GetAsync("/ops/snapshot")).Body;
            return ops.GetProperty("instances").GetArrayLength() == 3;
        }, Deadline, "the directory knowing both announced instances");

        var (view, _) = await Worker.Api.GetAsync($"/customers/{Customer}");
        var (kpis, _) = await Worker.Api.GetAsync("/kpis?window=day");

        var errors = ops.GetProperty("instances").EnumerateArray().ToDictionary(i => i.GetProperty("instance").GetString()!, i => i.GetProperty("error").ToString());
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(view, Is.EqualTo(HttpStatusCode.OK), "a customer this instance owns is answered here, whatever a later claim says");
            Assert.That(kpis, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(other.Requests.Select(r => r.Path), Has.Some.EqualTo("/internal/kpis").And.No.EqualTo("/stolen").And.No.StartWith("/customers"));
            Assert.That(errors["worker-b"], Does.Contain("answered 307"));
            Assert.That(errors["worker-c"], Does.Contain("buffer"));
            foreach (var (request, instance) in other.Requests.Select(r => (r, "worker-b")).Concat(huge.Requests.Select(r => (r, "worker-c"))))
            {
                var (path, headers) = request;
                Assert.That(headers.Keys, Has.No.Member("Authorization").And.No.Member(ApiKeyHandler.Header), path);
                var (caller, refusal) = await new PeerAssertions(PeerKeyOfTests, Worker.ApplicationId, instance)
                    .ValidateAsync(headers[PeerAssertions.Header], PeerAssertionHandler.SchemeName);
                Assert.That(refusal, Is.Null, path);
                Assert.That(caller?.Name, Is.EqualTo("tests"), path);
                Assert.That(caller?.FindFirst(PeerAssertions.ViaClaim)?.Value, Is.EqualTo(Worker.Services.GetRequiredService<StreamOptions>().InstanceId), path);
            }
        });
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly PeerKey PeerKeyOfTests = new(Convert.FromBase64String(TestCredentials.PeerKey));

    private InstanceAnnouncement Claim(string instance, string endpoint, string stage, string input) =>
        new(instance, endpoint, stage, [.. Enumerable.Range(0, Worker.Services.GetRequiredService<StoreQueries>().Partitions(stage)).Select(p => InstanceAnnouncement.Name(input, p))],
            new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    private void Produce(string key, byte[] value)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build();
        producer.Produce(InstanceDirectory.Spec(Worker.ApplicationId).Name, new Message<string, byte[]> { Key = key, Value = value });
        producer.Flush(Deadline);
    }

    private int Refusals() => Logs.Messages.Count(m => m.Contains("Refused the instance announcement", StringComparison.Ordinal));

    private static Task Redirect(HttpContext context, string to)
    {
        context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
        context.Response.Headers.Location = to;
        return Task.CompletedTask;
    }

    private async Task<HttpStatusCode> StatusAsync(string path, string token)
    {
        using var http = new HttpClient { DefaultRequestHeaders = { Authorization = new("Bearer", token) } };
        using var response = await http.GetAsync(new Uri(Worker.Api.BaseAddress, path));
        return response.StatusCode;
    }
}
