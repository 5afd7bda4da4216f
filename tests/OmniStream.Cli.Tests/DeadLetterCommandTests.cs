using System.Text;
using Confluent.Kafka;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Registry;
using OmniStream.Schemas.Wire;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Catalog;
using OmniStream.Channels.Topics;
using OmniStream.Adapters.Json;
using OmniStream.Adapters.Segment;
using System.Text.Json;

namespace OmniStream.Cli.Tests;

public class DeadLetterCommandTests
{
    [Test]
    public async Task Replay_lists_and_replays_the_chosen_dead_letters()
    {
        using var cluster = CliProcess.Start("dev-cluster", "--brokers", "1");
        var bootstrap = (await cluster.WaitForLineAsync(l => l.StartsWith("bootstrap: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the bootstrap line"))["bootstrap: ".Length..];
        var failed = new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset("omni.interactions.web", 2, 17),
            Message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("anna"), Value = [0x7B] },
        };
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            await producer.ProduceAsync("omni.deadletter", DeadLetter.Of(failed, new FormatException("not avro"), "worker", DateTime.UtcNow));
        }

        using var dryRun = CliProcess.Start("deadletter", "replay", "--bootstrap-servers", bootstrap, "--error-class", "FormatException", "--dry-run");
        var dryRunExit = await dryRun.WaitForExitAsync(TimeSpan.FromSeconds(60));
        using var older = CliProcess.Start("deadletter", "replay", "--bootstrap-servers", bootstrap, "--until", "2000-01-01T00:00:00Z");
        var olderExit = await older.WaitForExitAsync(TimeSpan.FromSeconds(60));
        using var replay = CliProcess.Start("deadletter", "replay", "--bootstrap-servers", bootstrap, "--source-topic", "omni.interactions.web", "--since", "1h");
        var replayExit = await replay.WaitForExitAsync(TimeSpan.FromSeconds(60));
        using var listed = CliProcess.Start("deadletter", "replay", "--bootstrap-servers", bootstrap, "--error-class", "FormatException", "--dry-run", "--json");
        var listedExit = await listed.WaitForExitAsync(TimeSpan.FromSeconds(60));
        cluster.Interrupt();
        await cluster.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(dryRunExit, Is.Zero, dryRun.Stderr);
        Assert.That(dryRun.Stdout, Does.Contain("would replay omni.interactions.web [2] @17: System.FormatException: not avro"));
        Assert.That(replayExit, Is.Zero, replay.Stderr);
        Assert.That(olderExit, Is.Zero, older.Stderr);
        Assert.That(older.Stdout[^1], Is.EqualTo("deadletter replay: 0 replayed, 0 listed only"), "nothing set aside before 2000");
        Assert.That(replay.Stdout[^2], Is.EqualTo("deadletter replay: 1 replayed, 0 listed only"));
        Assert.That(replay.Stdout[^1], Does.StartWith("next: --since "), "where a next run picks up");
        Assert.That(listedExit, Is.Zero, listed.Stderr);
        var letter = JsonDocument.Parse(listed.Stdout[0]).RootElement;
        Assert.That((letter.GetProperty("sourceTopic").GetString(), letter.GetProperty("sourceOffset").GetInt64(), letter.GetProperty("replayed").GetBoolean()),
            Is.EqualTo(("omni.interactions.web", 17L, false)));
        Assert.That(JsonDocument.Parse(listed.Stdout[^1]).RootElement.GetProperty("listedOnly").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Replay_of_bad_rows_publishes_those_that_read_now_under_their_rows_event_id_and_lists_the_others()
    {
        // A Segment call set aside for want of a mapping, read again with the mapping the gateway's settings file now has.
        var settings = Path.Combine(Path.GetTempPath(), $"gateway-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(settings, """{"OmniStream": {"Segment": {"Track": {"Product Clicked": "ProductViewed"}}}}""");
        using var cluster = CliProcess.Start("dev-cluster", "--brokers", "1");
        var bootstrap = (await cluster.WaitForLineAsync(l => l.StartsWith("bootstrap: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the bootstrap line"))["bootstrap: ".Length..];
        var customer = "bad-rows-" + Guid.NewGuid().ToString("N")[..8];
        var eventId = Guid.NewGuid();
        // Refused then (say, before a payload existed), readable now; and one that is still wrong.
        var fixedSince = $$$"""{"occurredAt": "2026-11-30T10:00:00Z", "channel": "WEB", "subject": {"customerId": "{{{customer}}}"}, "payload": {"type": "PageViewed", "location": "/"}}""";
        var stillWrong = $$$"""{"occurredAt": "2026-11-30T10:00:00Z", "channel": "WEB", "subject": {"customerId": "{{{customer}}}"}, "payload": {"type": "PageViewed"}}""";
        var unmapped = $$$"""{"type": "track", "event": "Product Clicked", "anonymousId": "{{{customer}}}", "messageId": "m-1", "properties": {"product_id": "sku-9"}}""";
        var shop = new SegmentAdapter(new SegmentMapping(), "shop", Channel.MOBILE_APP);
        var segmentId = shop.FirstEventId(JsonDocument.Parse(unmapped).RootElement);
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            await producer.ProduceAsync(TopicCatalog.BadRows.Name, BadRows.Row(fixedSince, "payload.type 'PageViewed' is not one of …", "POST /events", "web-backend", eventId, DateTime.UtcNow));
            await producer.ProduceAsync(TopicCatalog.BadRows.Name, BadRows.Row(unmapped, "event 'Product Clicked' has no mapping (OmniStream:Segment:Track)", shop.Source, shop.Source,
                segmentId, DateTime.UtcNow, shop.Channel));
            await producer.ProduceAsync(TopicCatalog.BadRows.Name, BadRows.Row(stillWrong, "payload.location is required", "POST /events", "web-backend", Guid.NewGuid(), DateTime.UtcNow));
        }

        var outputs = new List<(int Exit, IReadOnlyList<string> Stdout, string Stderr)>();
        // The second run has a Schema Registry in its environment, as the services would: it writes through it.
        using var registry = new TestSchemaRegistry();
        for (var run = 0; run < 2; run++)
        {
            var environment = run == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { ["OMNISTREAM__SCHEMAREGISTRY__URL"] = registry.Url.ToString() };
            using var replay = CliProcess.Start(environment, "deadletter", "replay", "--bootstrap-servers", bootstrap, "--bad-rows", "--config", settings);
            outputs.Add((await replay.WaitForExitAsync(TimeSpan.FromSeconds(60)), replay.Stdout, replay.Stderr));
        }
        using var web = new TopicReader(bootstrap, [TopicCatalog.Interactions(Channel.WEB).Name]);
        using var registryClient = new Schemas.Registry.SchemaRegistryOptions { Url = registry.Url }.CreateClient();
        var events = await web.InteractionsForAsync(customer, 2, TimeSpan.FromSeconds(30), "both replays", new AvroSerde<InteractionEvent>(SchemaCatalog.Default, registryClient));
        var framings = web.Records.Where(r => Encoding.UTF8.GetString(r.Message.Key) == customer).Select(r => r.Message.Value[0]).ToList();
        using var app = new TopicReader(bootstrap, [TopicCatalog.Interactions(Channel.MOBILE_APP).Name]);
        var viewed = await app.InteractionsForAsync(customer, 2, TimeSpan.FromSeconds(30), "both replays of the Segment call", new AvroSerde<InteractionEvent>(SchemaCatalog.Default, registryClient));
        cluster.Interrupt();
        await cluster.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(outputs.Select(o => o.Exit), Is.All.Zero, outputs[0].Stderr);
        Assert.That(outputs[0].Stdout, Has.Some.Contains($"as event {eventId}"));
        Assert.That(outputs[0].Stdout, Has.Some.StartsWith("still refused").And.Some.Contains("payload.location is required"));
        Assert.That(outputs[0].Stdout[^1], Is.EqualTo("deadletter replay --bad-rows: 2 replayed, 0 listed only, 1 still refused"));
        Assert.That(events.Select(e => e.eventId), Is.EqualTo(new[] { eventId, eventId }), "each replay under the row's event id: the worker keeps one");
        Assert.That(framings, Is.EqualTo(new byte[] { 0xC3, 0x00 }), "single-object without a registry, Confluent framing with one");
        Assert.That(registry.Subjects, Does.Contain("omni.interactions.web-value"));
        Assert.That(viewed.Select(e => e.eventId), Is.EqualTo(new[] { segmentId, segmentId }), "the Segment call under the id its message makes");
        Assert.That(viewed.Select(e => ((ProductViewed)e.payload).productId), Is.All.EqualTo("sku-9"), "mapped as the settings file now says, on the source's channel");
        File.Delete(settings);
    }
}
