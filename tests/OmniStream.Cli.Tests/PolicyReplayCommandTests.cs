using System.Text.Json;
using Confluent.Kafka;
using OmniStream.Adapters.Json;
using OmniStream.Channels.Publishing;
using OmniStream.Kafka;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing;

namespace OmniStream.Cli.Tests;

/// <summary>
/// <c>omnistream policies replay</c>: the shipped policies (or an edited copy) run on the recorded journey of
/// <c>samples/policy-replay/events.jsonl</c>, on the worker's own stages with no broker: c-42 granted marketing on the web
/// and left a cart at 10:05; c-7 left one at 10:06 without consent, then answered an NPS survey with 2 at 11:00.
/// </summary>
public class PolicyReplayCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string Events = Path.Combine(Repository.Root, "samples", "policy-replay", "events.jsonl");
    private static readonly string Policies = Path.Combine(Repository.Root, "services", "OmniStream.Worker", "policies.yaml");

    [Test]
    public async Task The_recorded_journey_shows_each_action_with_its_reasons_and_each_silent_moment_with_why()
    {
        using var cli = CliProcess.Start("policies", "replay", Policies, "--events", Events);

        Assert.That(await cli.WaitForExitAsync(Deadline), Is.Zero, cli.Stderr);
        Assert.That(cli.Stdout, Has.Some.Matches(@"^2026-11-30T10:35:00Z c-42 moment cart_idle: CART_REMINDER on WEB \[CART_IDLE, LAST_ACTIVE_CHANNEL, .*MARKETING_CONSENT_GRANTED\] .*after 30m"),
            "the reminder 30 minutes after the cart, on the channel last used, with its reasons");
        Assert.That(cli.Stdout, Has.Some.Matches(@"^2026-11-30T10:36:00Z c-7 moment cart_idle: silent: .*cart_reminder: no channel: .*no MARKETING consent"),
            "the moment that sent nothing, and why");
        Assert.That(cli.Stdout, Has.Some.Matches(@"^2026-11-30T11:00:00Z c-7 moment nps_detractor: CALLBACK_TASK on CALL_CENTER \[NPS_DETRACTOR"));
        Assert.That(cli.Stdout[^1], Is.EqualTo("policies replay: 4 events, 2 action(s) would go out, 1 moment(s) sent nothing"));
    }

    [Test]
    public async Task The_same_journey_read_from_the_channels_topics_over_a_window_gives_the_same_decisions()
    {
        using var cluster = CliProcess.Start("dev-cluster", "--brokers", "1");
        var bootstrap = (await cluster.WaitForLineAsync(l => l.StartsWith("bootstrap: ", StringComparison.Ordinal), Deadline, "the bootstrap line"))["bootstrap: ".Length..];
        using (var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = bootstrap }, new AvroSerde<InteractionEvent>(SchemaCatalog.Default)))
        {
            foreach (var line in File.ReadLines(Events))
            {
                using var json = JsonDocument.Parse(line);
                await publisher.PublishAsync(InteractionJson.Read(json.RootElement));
            }
        }
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            await producer.ProduceAsync("omni.interactions.web", new Message<byte[], byte[]> { Key = "c-9"u8.ToArray(), Value = "{not avro}"u8.ToArray() });
        }

        using var cli = CliProcess.Start("policies", "replay", Policies, "--bootstrap-servers", bootstrap, "--since", "1h");

        Assert.That(await cli.WaitForExitAsync(Deadline), Is.Zero, cli.Stderr);
        Assert.That(cli.Stdout, Has.Some.Matches(@"^2026-11-30T10:35:00Z c-42 moment cart_idle: CART_REMINDER on WEB"));
        Assert.That(cli.Stdout, Has.Some.Matches(@"^2026-11-30T10:36:00Z c-7 moment cart_idle: silent: "));
        Assert.That(cli.Stdout[^1], Is.EqualTo("policies replay: 4 events, 2 action(s) would go out, 1 moment(s) sent nothing"));
        Assert.That(cli.Stderr, Does.Contain("1 record(s) in the window are not interaction events"));
    }

    [Test]
    public async Task A_changed_policy_shows_its_effect_on_the_same_events()
    {
        var edited = Path.Combine(Path.GetTempPath(), $"omnistream-policies-{Guid.NewGuid():N}.yaml");
        var shipped = await File.ReadAllTextAsync(Policies);
        await File.WriteAllTextAsync(edited, shipped.Replace("    on: CartUpdated\n    after: 30m", "    on: CartUpdated\n    after: 10m", StringComparison.Ordinal));
        try
        {
            using var cli = CliProcess.Start("policies", "replay", edited, "--events", Events, "--json");

            Assert.That(await cli.WaitForExitAsync(Deadline), Is.Zero, cli.Stderr);
            var decisions = cli.Stdout.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var reminder = decisions.Single(d => d.GetProperty("customerId").GetString() == "c-42");
            Assert.That(reminder.GetProperty("at").GetDateTime(), Is.EqualTo(new DateTime(2026, 11, 30, 10, 15, 0, DateTimeKind.Utc)), "10 minutes after the cart now");
            Assert.That(reminder.GetProperty("actionType").GetString(), Is.EqualTo("CART_REMINDER"));
            Assert.That(decisions.Single(d => d.GetProperty("result").GetString() == "none").GetProperty("refusals")[0].GetString(), Does.Contain("no MARKETING consent"));
        }
        finally
        {
            File.Delete(edited);
        }
    }

    [Test]
    public async Task A_line_that_is_no_event_is_named_with_what_is_wrong()
    {
        var events = Path.Combine(Path.GetTempPath(), $"omnistream-events-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(events, [File.ReadLines(Events).First(), """{"occurredAt": "2026-11-30T10:05:00Z", "channel": "WEB", "subject": {"customerId": "c-1"}, "payload": {"type": "CartUpdated"}}"""]);
        try
        {
            using var cli = CliProcess.Start("policies", "replay", Policies, "--events", events);

            Assert.That(await cli.WaitForExitAsync(Deadline), Is.EqualTo(2));
            Assert.That(cli.Stderr, Does.Contain($"{Path.GetFileName(events)}:2: payload."));
        }
        finally
        {
            File.Delete(events);
        }
    }
}
