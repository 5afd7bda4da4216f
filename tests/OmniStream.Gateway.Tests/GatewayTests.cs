using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Delivery;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Testing;
using OmniStream.Testing.Http;
using OmniStream.Testing.Kafka;

namespace OmniStream.Gateway.Tests;

/// <summary>The gateway over real HTTP and the embedded cluster: webhooks, server-sent events, outcomes.</summary>
public class GatewayTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    [Test]
    public async Task An_action_is_pushed_signed_to_its_channels_webhook_and_retried_until_taken()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        webhook.StatusOfCall = call => call <= 2 ? 503 : 200;
        await using var gateway = await GatewayHarness.StartAsync((Channel.EMAIL, webhook.Url));
        var action = GatewayHarness.Action(Unique("ana"), Channel.EMAIL);

        await gateway.PublishAsync(action);
        await Wait.UntilAsync(() => webhook.Requests.Count >= 3, Deadline, "three calls to the webhook");

        var calls = webhook.Requests.ToList();
        Assert.That(calls, Has.Count.EqualTo(3), "two 503 answers retried, then taken once");
        Assert.That(calls.Select(c => WebhookSignature.Verify(GatewayHarness.Secret, c.Body, c.Signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))),
            Is.All.True, "every call signed with the channel's secret");
        Assert.That(WebhookSignature.Verify("another-secret-0123456789", calls[0].Body, calls[0].Signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), Is.False);
        var body = JsonSerializer.Deserialize<ActionMessage>(calls[2].Body, GatewayJson.Options)!;
        Assert.That(body.ActionId, Is.EqualTo(action.actionId));
        Assert.That(body.ReasonCodes, Is.EqualTo(action.reasonCodes));
        Assert.That(body.Variant, Is.EqualTo("challenger"));
        using var http = gateway.Http;
        var metrics = await http.GetStringAsync("/metrics");
        Assert.That(metrics.Split('\n'), Has.Some.StartsWith("omnistream_gateway_webhook_deliveries_total{").And.Contains("channel=\"EMAIL\"").And.Contains("result=\"delivered\""));
        Assert.That(metrics.Split('\n'), Has.Some.StartsWith("omnistream_gateway_webhook_attempts_total{").And.Contains("channel=\"EMAIL\"").And.EndsWith(" 3"));
    }

    [Test]
    public async Task An_action_the_webhook_does_not_take_goes_to_the_dead_letter_topic_untouched_with_the_reason()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        webhook.StatusOfCall = _ => 500;
        await using var gateway = await GatewayHarness.StartAsync((Channel.CALL_CENTER, webhook.Url));
        var action = GatewayHarness.Action(Unique("ben"), Channel.CALL_CENTER, ActionType.CALLBACK_TASK);
        using var deadLetters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.DeadLetter.Name]);

        var value = await gateway.PublishAsync(action);
        var letters = await deadLetters.ReadUntilAsync(r => r.Any(d => Encoding.UTF8.GetString(d.Message.Key) == action.customerId), Deadline, "the dead letter");

        var letter = letters.Single(d => Encoding.UTF8.GetString(d.Message.Key) == action.customerId);
        string Header(string name) => Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(name));
        Assert.That(letter.Message.Value, Is.EqualTo(value), "the action's record, untouched");
        Assert.That(Header(DeadLetterHeaders.ErrorClass), Does.EndWith(nameof(WebhookDeliveryException)));
        Assert.That(Header(DeadLetterHeaders.ErrorMessage), Does.Contain("answered 500").And.Contain("after 3 attempt(s)"));
        Assert.That(Header(DeadLetterHeaders.SourceTopic), Is.EqualTo(TopicCatalog.Actions(Channel.CALL_CENTER).Name));
        Assert.That(webhook.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_webhook_that_hangs_holds_back_only_its_own_channel()
    {
        var release = new TaskCompletionSource();
        await using var slow = await WebhookReceiver.StartAsync();
        slow.Hold = release.Task;
        await using var fast = await WebhookReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync((Channel.WEB, slow.Url), (Channel.MOBILE_APP, fast.Url));
        try
        {
            await gateway.PublishAsync(GatewayHarness.Action(Unique("eve"), Channel.WEB));
            await Wait.UntilAsync(() => !slow.Requests.IsEmpty, Deadline, "the web webhook's call");
            var app = GatewayHarness.Action(Unique("eve"), Channel.MOBILE_APP);

            await gateway.PublishAsync(app);
            // The topics are shared with the other tests: the webhooks may also get their actions.
            await Wait.UntilAsync(() => fast.Requests.Any(r => JsonSerializer.Deserialize<ActionMessage>(r.Body, GatewayJson.Options)!.ActionId == app.actionId),
                Deadline, "the app webhook's call while the web webhook has not answered");

            Assert.That(slow.Requests, Has.Count.EqualTo(1), "the web call still waits for its answer (the gateway's timeout is a minute here)");
        }
        finally
        {
            release.SetResult();
        }
    }

    [Test]
    public async Task A_channel_backend_receives_its_channels_actions_as_server_sent_events()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var http = gateway.Http;
        using var response = await http.GetAsync("/actions/web/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/event-stream"));
        Assert.That(await reader.ReadLineAsync(), Is.EqualTo(": connected"));
        var other = GatewayHarness.Action(Unique("cleo"), Channel.MOBILE_APP);
        var action = GatewayHarness.Action(Unique("cleo"), Channel.WEB);

        await gateway.PublishAsync(other);
        await gateway.PublishAsync(action);

        var message = (await ReadActionsAsync(reader, 1)).Single();
        Assert.That(message.ActionId, Is.EqualTo(action.actionId), "the web stream's first action is the web action, not the app's");
        Assert.That(message.Channel, Is.EqualTo(Channel.WEB));
    }

    [Test]
    public async Task A_stream_reopened_with_the_last_event_id_first_gets_the_actions_it_missed()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var http = gateway.Http;
        var first = GatewayHarness.Action(Unique("fay"), Channel.SOCIAL);
        var missed = new[] { GatewayHarness.Action(Unique("fay"), Channel.SOCIAL), GatewayHarness.Action(Unique("gus"), Channel.SOCIAL) };
        using (var stream = await OpenStreamAsync(http, "social"))
        {
            await gateway.PublishAsync(first);
            Assert.That((await ReadActionsAsync(stream, 1)).Single().ActionId, Is.EqualTo(first.actionId));
        }
        using var watcher = await OpenStreamAsync(http, "social");
        foreach (var action in missed)
        {
            await gateway.PublishAsync(action);
        }
        // The gateway holds them now, in the order it read them (two customers: two partitions, any order).
        var seen = (await ReadActionsAsync(watcher, 2)).Select(a => a.ActionId).ToList();
        Assert.That(seen, Is.EquivalentTo(missed.Select(a => a.actionId)));

        using var reopened = await OpenStreamAsync(http, "social", lastEventId: first.actionId);
        using var unknown = await OpenStreamAsync(http, "social", lastEventId: Guid.NewGuid());

        var next = GatewayHarness.Action(Unique("hal"), Channel.SOCIAL);
        await gateway.PublishAsync(next);

        Assert.That((await ReadActionsAsync(reopened, 2)).Select(a => a.ActionId), Is.EqualTo(seen), "what came after the last one it got, in order");
        Assert.That((await ReadActionsAsync(unknown, 1)).Single().ActionId, Is.EqualTo(next.actionId),
            "an id the gateway does not hold: none of the actions it holds, only the next ones");
    }

    [Test]
    public async Task A_channels_permission_reads_that_channel_alone()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var web = new HttpClient { BaseAddress = gateway.Url };
        web.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestCredentials.Token("web-backend", "actions:read:web"));

        using var own = await web.GetAsync("/actions/web/events", HttpCompletionOption.ResponseHeadersRead);
        using var other = await web.GetAsync("/actions/email/events", HttpCompletionOption.ResponseHeadersRead);

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await other.Content.ReadAsStringAsync(), Does.Contain("actions:read:email"));
    }

    [Test]
    public async Task A_client_holds_no_more_streams_open_than_it_may()
    {
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["OmniStream:Gateway:MaxStreamsPerClient"] = "2" });
        using var http = gateway.Http;
        using var other = new HttpClient { BaseAddress = gateway.Url };
        other.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestCredentials.Token("another-backend", Permissions.ActionsRead));

        var first = await OpenStreamAsync(http, "web");
        using var second = await OpenStreamAsync(http, "web");
        using var third = await http.GetAsync("/actions/web/events", HttpCompletionOption.ResponseHeadersRead);
        using var othersFirst = await other.GetAsync("/actions/web/events", HttpCompletionOption.ResponseHeadersRead);
        first.Dispose();
        // A closed stream gives its place back once the gateway sees the connection go.
        await Wait.UntilAsync(async () =>
        {
            using var again = await http.GetAsync("/actions/web/events", HttpCompletionOption.ResponseHeadersRead);
            return again.StatusCode == HttpStatusCode.OK;
        }, Deadline, "a stream opened again once one closed");

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(await third.Content.ReadAsStringAsync(), Does.Contain("MaxStreamsPerClient"));
        Assert.That(othersFirst.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another client has streams of its own");
    }

    private static async Task<StreamReader> OpenStreamAsync(HttpClient http, string channel, Guid? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/actions/{channel}/events");
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString());
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new StreamReader(await response.Content.ReadAsStreamAsync());
    }

    private static async Task<List<ActionMessage>> ReadActionsAsync(StreamReader stream, int count)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var actions = new List<ActionMessage>();
        while (actions.Count < count && await stream.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                actions.Add(JsonSerializer.Deserialize<ActionMessage>(line["data: ".Length..], GatewayJson.Options)!);
            }
        }
        return actions;
    }

    [Test]
    public async Task An_unknown_channel_is_refused_naming_it()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var http = gateway.Http;

        using var response = await http.GetAsync("/actions/fax/events");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("'fax' is not a channel"));
    }

    [Test]
    public async Task An_outcome_posted_over_http_reaches_the_outcomes_topic()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var http = gateway.Http;
        using var outcomes = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.ActionOutcomes.Name]);
        var customer = Unique("dan");
        var actionId = Guid.NewGuid();

        using var response = await http.PostAsJsonAsync("/outcomes", new
        {
            actionId, customerId = customer, channel = "EMAIL", actionType = "OFFER", outcome = "CONVERTED", value = 39.90m,
            experimentId = "retention-2026", variant = "challenger",
        });
        var records = await outcomes.ReadUntilAsync(r => r.Any(o => Encoding.UTF8.GetString(o.Message.Key) == customer), Deadline, "the outcome");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var outcome = await new AvroSerde<ActionOutcome>(SchemaCatalog.Default).DeserializeAsync(records.Single(o => Encoding.UTF8.GetString(o.Message.Key) == customer).Message.Value);
        Assert.That((outcome.actionId, outcome.outcome, outcome.channel, (decimal?)outcome.value), Is.EqualTo((actionId, Outcome.CONVERTED, Channel.EMAIL, (decimal?)39.90m)));
        Assert.That(outcome.experiment.variant, Is.EqualTo("challenger"));
    }

    [TestCase("{\"customerId\":\"x\",\"channel\":\"WEB\",\"outcome\":\"CLICKED\"}", "'actionId' is required")]
    [TestCase("{\"actionId\":\"6f1c1d0e-3f0a-4c51-9a3e-1d2b3c4d5e6f\",\"customerId\":\"x\",\"channel\":\"WEB\",\"outcome\":\"WON\"}", "$.outcome")]
    [TestCase("{\"actionId\":\"6f1c1d0e-3f0a-4c51-9a3e-1d2b3c4d5e6f\",\"customerId\":\"x\",\"channel\":\"WEB\"}", "'outcome' is required")]
    [TestCase("not json", "the body is not an outcome")]
    public async Task A_bad_outcome_is_refused_naming_what_is_wrong(string body, string reason)
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var (status, answer) = await gateway.PostJsonAsync("/outcomes", body);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(answer, Does.Contain(reason));
    }
}
