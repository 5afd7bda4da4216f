using System.CommandLine;
using System.Text.Json;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.Worker.Migration;
using OmniStream.Worker.Topology;

namespace OmniStream.Cli.Commands;

/// <summary>
/// <c>omnistream migrate</c>: moves a stopped application's state into a new application id with more partitions
/// (<see cref="ApplicationMigration"/>). Exit 0; 2 when topics are missing or options wrong; 3 when the migration is
/// refused (workers still running, a target that already holds records).
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var bootstrap = TopicsCommand.BootstrapOption();
        var from = new Option<string>("--from-application") { Description = "The application id whose state moves (its workers stopped)", Required = true };
        var to = new Option<string>("--to-application") { Description = "A new application id, whose topics hold nothing yet", Required = true };
        var partitions = new Option<int?>("--partitions")
        {
            Description = "Create the new application's topics with this many partitions first (else they must exist: omnistream topics apply --application-id … --partitions …)",
        };
        var json = CliJson.Option("The report");
        var migrate = new Command("migrate", "Move a stopped worker application's state (customers, identity links, timers, journeys, KPI windows) to a new application id with more partitions")
        {
            bootstrap, from, to, partitions, json,
        };
        migrate.SetAction(async (parse, stop) =>
        {
            if (TopicsCommand.RequireBootstrap(parse.GetValue(bootstrap), "migrate") is not { } servers)
            {
                return CliExit.Usage;
            }
            var kafka = ClusterSettings.Read(servers);
            var (source, target) = (parse.GetValue(from)!, parse.GetValue(to)!);
            try
            {
                if (parse.GetValue(partitions) is { } count)
                {
                    await new KafkaTopicAdmin(kafka).ApplyAsync(WorkerTopology.InternalTopics(target, count), stop);
                }
                var report = await new ApplicationMigration(kafka, line => Console.Error.WriteLine($"migrate: {line}")).RunAsync(source, target, stop);
                Console.WriteLine(parse.GetValue(json)
                    ? JsonSerializer.Serialize(report, CliJson.Options)
                    : $"migrated {report.From} ({report.FromPartitions} partitions) into {report.To} ({report.ToPartitions} partitions): "
                        + string.Join(", ", report.Records.Select(r => $"{r.Key} {r.Value:N0}")) + "; not yet read, carried over: "
                        + string.Join(", ", report.Pending.Select(p => $"{p.Key} {p.Value:N0}")));
                Console.WriteLine($"next: start the workers with OMNISTREAM__STREAM__APPLICATIONID={report.To} OMNISTREAM__STREAM__PARTITIONS={report.ToPartitions}, "
                    + $"then 'omnistream lag --application-id {report.To}'; delete {report.From}'s topics once they run");
                return CliExit.Ok;
            }
            catch (MissingTopicsException e)
            {
                Console.Error.WriteLine($"migrate: {e.Message}");
                return CliExit.Usage;
            }
            catch (MigrationRefusedException e)
            {
                Console.Error.WriteLine($"migrate: refused: {e.Message}");
                return CliExit.CheckFailed;
            }
        });
        return migrate;
    }
}
