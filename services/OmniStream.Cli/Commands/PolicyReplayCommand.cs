using System.CommandLine;
using System.Text.Json;
using OmniStream.Cli.Replay;
using OmniStream.Customers;

namespace OmniStream.Cli.Commands;

/// <summary>
/// <c>omnistream policies replay FILE --events EVENTS</c>: a dry run of a policies file against recorded events (JSON lines),
/// on the worker's own stages with no broker: each action that would go out with its reasons, each moment that stayed
/// silent with why. Exit 0; 2 when a file is missing or a line is not an event; 3 when the policies do not validate.
/// </summary>
internal static class PolicyReplayCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The policies file (e.g. policies.yaml)" };
        var events = new Option<FileInfo?>("--events") { Description = "Recorded interaction events, one JSON object per line as POST /events takes them" };
        var bootstrap = new Option<string?>("--bootstrap-servers")
        {
            Description = "Instead of --events: read the omni.interactions.* topics of these brokers over --since … --until (settings from OMNISTREAM__KAFKA__*, OMNISTREAM__SCHEMAREGISTRY__*)",
        };
        var since = new Option<DateTime?>("--since") { Description = "With --bootstrap-servers: records from this time (ISO 8601, or a duration back from now: 2h, 1d)", CustomParser = TimeOrAgo.Parse };
        var until = new Option<DateTime?>("--until") { Description = "With --bootstrap-servers: records before this time (default: now)", CustomParser = TimeOrAgo.Parse };
        var maxEvents = new Option<int>("--max-events") { Description = "With --bootstrap-servers: the most events to read", DefaultValueFactory = _ => 100_000 };
        var segments = new Option<FileInfo?>("--segments") { Description = "The segments file (default: the shipped segments.yaml)" };
        var after = new Option<TimeSpan>("--after")
        {
            Description = "How long to let pass after the last event, so that what it set waiting comes due (e.g. 2h, 1d)",
            DefaultValueFactory = _ => TimeSpan.FromDays(1),
            CustomParser = DurationParser.Parse,
        };
        var json = CliJson.Option("Each decision");
        var replay = new Command("replay", "Dry-run the policies on recorded events: the actions that would go out with their reasons, the moments that stayed silent and why")
        {
            file, events, bootstrap, since, until, maxEvents, segments, after, json,
        };
        replay.SetAction(async (parse, stop) =>
        {
            var (policies, recorded, segmentFile, servers) = (parse.GetValue(file)!, parse.GetValue(events), parse.GetValue(segments), parse.GetValue(bootstrap));
            if ((recorded is null) == (servers is null) || servers is not null && parse.GetValue(since) is null)
            {
                Console.Error.WriteLine("policies replay: give either --events FILE, or --bootstrap-servers with --since (and --until)");
                return CliExit.Usage;
            }
            if (new[] { policies, recorded, segmentFile }.FirstOrDefault(f => f is { Exists: false }) is { } missing)
            {
                Console.Error.WriteLine($"policies replay: no file {missing.FullName}");
                return CliExit.Usage;
            }
            IReadOnlyList<Schemas.Contracts.InteractionEvent> interactions;
            try
            {
                interactions = recorded is not null
                    ? RecordedEvents.Read(recorded.FullName)
                    : await ReadTopicsAsync(servers!, parse.GetValue(since)!.Value, parse.GetValue(until) ?? DateTime.UtcNow, parse.GetValue(maxEvents), stop);
            }
            catch (RecordedEventsException e)
            {
                Console.Error.WriteLine($"policies replay: {e.Message}");
                return CliExit.Usage;
            }
            try
            {
                Decisions.Policies.PolicyFile.Parse(File.ReadAllText(policies.FullName), policies.Name);
            }
            catch (DefinitionFileException e)
            {
                Console.Error.WriteLine(e.Message);
                return CliExit.CheckFailed;
            }
            var start = interactions.Count > 0 ? interactions[0].occurredAt : DateTime.UtcNow;
            using var run = new PolicyReplay(policies.FullName, segmentFile?.FullName, start);
            await run.RunAsync(interactions, parse.GetValue(after), stop);
            foreach (var decision in run.Decisions)
            {
                Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(Row(decision), CliJson.Options) : decision.ToString());
            }
            var sent = run.Decisions.Count(d => d.Kind == Decisions.Engine.DecisionKind.Sent);
            Console.WriteLine($"policies replay: {interactions.Count} events, {sent} action(s) would go out, {run.Decisions.Count - sent} moment(s) sent nothing");
            return CliExit.Ok;
        });
        return replay;
    }

    private static async Task<IReadOnlyList<Schemas.Contracts.InteractionEvent>> ReadTopicsAsync(string servers, DateTime since, DateTime until, int max, CancellationToken stop)
    {
        // Read as the worker reads: through the registry when the environment configures one.
        var registry = ClusterSettings.SchemaRegistry();
        using var client = registry?.Client;
        var serde = new Schemas.Wire.AvroSerde<Schemas.Contracts.InteractionEvent>(Schemas.Catalog.SchemaCatalog.Default, client, autoRegister: false);
        return await RecordedEvents.ReadTopicsAsync(ClusterSettings.Read(servers), serde, since, until, max, stop);
    }

    private static object Row(ReplayedDecision d) => new
    {
        at = d.At,
        customerId = d.CustomerId,
        moment = d.Moment,
        result = d.Kind.ToString().ToLowerInvariant(),
        actionType = d.ActionType?.ToString(),
        channel = d.Channel?.ToString(),
        reasonCodes = d.ReasonCodes,
        rulesFired = d.RulesFired,
        deferredUntil = d.DeferredUntil,
        refusals = d.Refusals,
    };
}
