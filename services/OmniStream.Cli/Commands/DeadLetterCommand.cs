using System.CommandLine;
using OmniStream.Adapters;
using OmniStream.Adapters.Json;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Kafka;

namespace OmniStream.Cli.Commands;

/// <summary><c>omnistream deadletter replay</c>: send chosen dead letters back to their source topics, or (<c>--bad-rows</c>) publish the refused HTTP events that read now.</summary>
internal static class DeadLetterCommand
{
    public static Command Create()
    {
        var bootstrap = TopicsCommand.BootstrapOption();
        var source = new Option<string?>("--source-topic") { Description = "Only dead letters read from this topic" };
        var errorClass = new Option<string?>("--error-class") { Description = "Only dead letters whose error class ends with this (e.g. AvroDecodeException)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be replayed, send nothing" };
        var since = new Option<DateTime?>("--since") { Description = "Only dead letters set aside at or after this time (ISO 8601, e.g. 2026-12-07T10:00:00Z, or a duration back from now: 2h, 1d)", CustomParser = TimeOrAgo.Parse };
        var until = new Option<DateTime?>("--until") { Description = "Only dead letters set aside before this time (same forms)", CustomParser = TimeOrAgo.Parse };
        var limit = new Option<int?>("--limit") { Description = "Replay at most this many, in the order read (partition by partition)" };
        var badRows = new Option<bool>("--bad-rows")
        {
            Description = $"Publish the events of {TopicCatalog.BadRows.Name} (messages the gateway refused) that read now, under the event ids their rows name",
        };
        var config = new Option<FileInfo?>("--config")
        {
            Description = "With --bad-rows: the gateway's settings file (appsettings.json), whose mappings (OmniStream:Segment, OmniStream:Email:SendGrid) read refused messages again (the environment on top)",
        };
        var json = CliJson.Option("Each dead letter (sourceTopic, sourcePartition, sourceOffset, errorClass, errorMessage, setAsideAt, replayed), then the summary (replayed, listedOnly, nextSince)");
        var replay = new Command("replay", $"Send dead letters from {TopicCatalog.DeadLetter.Name} back to their source topics")
        {
            bootstrap, source, errorClass, dryRun, since, until, limit, badRows, config, json,
        };
        replay.SetAction(async (parse, stop) =>
        {
            if (TopicsCommand.RequireBootstrap(parse.GetValue(bootstrap), "deadletter replay") is not { } servers)
            {
                return 2;
            }
            if (parse.GetValue(badRows))
            {
                return await ReplayBadRowsAsync(ClusterSettings.Read(servers), ClusterSettings.BadRowFormats(parse.GetValue(config)), parse.GetValue(dryRun), stop);
            }
            var (topic, error) = (parse.GetValue(source), parse.GetValue(errorClass));
            var results = await new DeadLetterReplayer(ClusterSettings.Read(servers)).ReplayAsync(
                TopicCatalog.DeadLetter.Name,
                letter => (topic is null || letter.SourceTopic == topic) && (error is null || letter.ErrorClass.EndsWith(error, StringComparison.Ordinal)),
                parse.GetValue(dryRun), parse.GetValue(since), parse.GetValue(until), parse.GetValue(limit),
                read => Console.Error.WriteLine($"deadletter replay: {read:N0} dead letters read…"), stop);
            // Replaying a letter twice sends it twice: a next run picks up after the last one taken (a run cut by --limit may
            // have left earlier ones in other partitions: narrow the window instead).
            DateTime? next = results.Count > 0 && results.Count < (parse.GetValue(limit) ?? int.MaxValue) ? results.Max(r => r.SetAsideAt).AddTicks(1) : null;
            var (replayedCount, listedOnly) = (results.Count(r => r.Replayed), results.Count(r => !r.Replayed));
            if (parse.GetValue(json))
            {
                foreach (var (letter, replayed, at) in results)
                {
                    CliJson.WriteLine(new
                    {
                        letter.SourceTopic, letter.SourcePartition, letter.SourceOffset, letter.ErrorClass, letter.ErrorMessage, setAsideAt = at, replayed,
                    });
                }
                CliJson.WriteLine(new { replayed = replayedCount, listedOnly, nextSince = next });
                return 0;
            }
            foreach (var (letter, replayed, _) in results)
            {
                Console.WriteLine($"{(replayed ? "replayed" : "would replay")} {letter.SourceTopic} [{letter.SourcePartition}] @{letter.SourceOffset}: {letter.ErrorClass}: {letter.ErrorMessage}");
            }
            Console.WriteLine($"deadletter replay: {replayedCount} replayed, {listedOnly} listed only");
            if (next is { } nextSince)
            {
                Console.WriteLine($"next: --since {nextSince:O}");
            }
            return 0;
        });
        return new Command("deadletter", "Records set aside because they could not be processed") { replay };
    }

    private static async Task<int> ReplayBadRowsAsync(KafkaOptions kafka, BadRowFormats formats, bool dryRun, CancellationToken stop)
    {
        // Written as the services write: through the registry when the environment configures one.
        var registry = ClusterSettings.SchemaRegistry();
        using var client = registry?.Client;
        using var publisher = new ChannelPublisher(kafka, new AvroSerde<InteractionEvent>(SchemaCatalog.Default, client, registry?.AutoRegister ?? true),
            clientId: "omnistream-bad-rows-replay");
        var results = await new BadRowReplayer(kafka, publisher, formats).ReplayAsync(dryRun, stop);
        foreach (var row in results)
        {
            Console.WriteLine(row.StillRefused is { } reason
                ? $"still refused {row.Row}: {reason}"
                : $"{(dryRun ? "would replay" : "replayed")} {row.Row} as event {row.EventId}");
        }
        var published = results.Count(r => r.StillRefused is null);
        Console.WriteLine($"deadletter replay --bad-rows: {(dryRun ? 0 : published)} replayed, {(dryRun ? published : 0)} listed only, {results.Count - published} still refused");
        return 0;
    }
}
