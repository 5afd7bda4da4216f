using System.Globalization;
using System.Text.Json;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Delivery;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing;
using OmniStream.Testing.Kafka;

namespace OmniStream.Gateway.Tests;

/// <summary>
/// A webhook that keeps failing opens its circuit: the next actions wait in their topic instead of each spending every
/// attempt on it and going to the dead-letter topic, the age of the oldest one waiting shows in the metrics, and they
/// go once the webhook answers again.
/// </summary>
public class WebhookCircuitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private const string Oldest = "omnistream_gateway_webhook_oldest_undelivered_seconds";

    [Test]
    public async Task A_failing_webhook_opens_its_circuit_and_the_next_actions_wait_unset_aside_until_it_answers()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        webhook.StatusOfCall = _ => 503;
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["OmniStream:Gateway:WebhookBreakDuration"] = "00:00:02" },
            (Channel.IOT, webhook.Url));
        using var deadLetters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.DeadLetter.Name]);
        // One customer's actions: one partition, pushed in order.
        var customer = Unique("ivy");
        var first = GatewayHarness.Action(customer, Channel.IOT);
        var waiting = new[] { GatewayHarness.Action(customer, Channel.IOT), GatewayHarness.Action(customer, Channel.IOT) };

        var firstValue = await gateway.PublishAsync(first);
        var waitingValues = new List<byte[]>();
        foreach (var action in waiting)
        {
            waitingValues.Add(await gateway.PublishAsync(action));
        }
        // The first action's three attempts fail and it is set aside; two more failures open the circuit.
        await deadLetters.ReadUntilAsync(r => r.Any(d => d.Message.Value.AsSpan().SequenceEqual(firstValue)), Deadline, "the first action set aside");
        await Wait.UntilAsync(async () => await OldestAsync(gateway) > 0 && webhook.Requests.Count >= WebhookSender.FailuresToBreak, Deadline,
            "the circuit open, an action waiting");
        var callsWhileFailing = webhook.Requests.Count;

        webhook.StatusOfCall = _ => 200;
        await Wait.UntilAsync(() => waiting.All(a => webhook.Requests.Skip(callsWhileFailing).Any(r => ActionIdOf(r.Body) == a.actionId)), Deadline,
            "the waiting actions delivered once the webhook answers");
        await Wait.UntilAsync(async () => await OldestAsync(gateway) == 0, Deadline, "nothing left waiting");

        var letters = await deadLetters.ReadUntilAsync(_ => true, Deadline, "the dead letters");
        Assert.That(letters.Where(d => waitingValues.Any(v => d.Message.Value.AsSpan().SequenceEqual(v))), Is.Empty, "no waiting action set aside");
        // Three calls for the first action, two more to open the circuit, then one call per break at most: not 3 per action.
        Assert.That(callsWhileFailing, Is.LessThan(3 * 3), "calls made while the webhook failed");
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    private static Guid ActionIdOf(byte[] body) => JsonSerializer.Deserialize<ActionMessage>(body, GatewayJson.Options)!.ActionId;

    private static async Task<double> OldestAsync(GatewayHarness gateway)
    {
        using var http = gateway.Http;
        var line = (await http.GetStringAsync("/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith(Oldest + "{", StringComparison.Ordinal) && l.Contains("channel=\"IOT\"", StringComparison.Ordinal));
        return line is null ? -1 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
