using System.CommandLine;
using System.Globalization;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Telemetry;
using OmniStream.Worker.Topology;

namespace OmniStream.Cli.Commands;

/// <summary>
/// <c>omnistream lag</c>: for each stage of a worker application and each of its input partitions,
/// the committed position, the log end, the lag in records and in seconds, and the owner, as
/// <c>kafka-consumer-groups --describe</c> shows a group; exit code 3 when a lag passes
/// <c>--max-lag-seconds</c>, for cron jobs and CI checks.
/// </summary>
internal static class LagCommand
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);
    public static Command Create()
    {
        var bootstrap = TopicsCommand.BootstrapOption();
        var application = new Option<string>("--application-id") { Description = "The worker application", DefaultValueFactory = _ => new StreamOptions().ApplicationId };
        var watch = new Option<bool>("--watch") { Description = "Print again every --interval until Ctrl+C" };
        var interval = new Option<TimeSpan>("--interval") { Description = "How often --watch prints", DefaultValueFactory = _ => TimeSpan.FromSeconds(5), CustomParser = DurationParser.Parse };
        var json = new Option<bool>("--json") { Description = "One JSON object per line: stage, topic, partition, position, end, records, seconds, owner" };
        var maxLag = new Option<double?>("--max-lag-seconds") { Description = "Exit with 3 when a partition's lag in seconds passes this" };
        var command = new Command("lag", "How far each stage of a worker application is behind, per input partition") { bootstrap, application, watch, interval, json, maxLag };
        command.SetAction(async (parse, stop) =>
        {
            if (TopicsCommand.RequireBootstrap(parse.GetValue(bootstrap), "lag") is not { } servers)
            {
                return 2;
            }
            var reader = new LagReader(ClusterSettings.Read(servers));
            var app = parse.GetValue(application)!;
            while (true)
            {
                IReadOnlyList<StagePartitionLag> lags;
                try
                {
                    lags = reader.Read(app, WorkerTopology.StageInputs(app), DateTime.UtcNow, ReadTimeout);
                }
                catch (ApplicationNotFoundException e)
                {
                    Console.Error.WriteLine($"lag: {e.Message}");
                    return 2;
                }
                Print(lags, parse.GetValue(json));
                var over = parse.GetValue(maxLag) is { } max && lags.Any(l => l.Seconds > max);
                if (!parse.GetValue(watch))
                {
                    return over ? CliExit.CheckFailed : CliExit.Ok;
                }
                try
                {
                    await Task.Delay(parse.GetValue(interval), stop);
                }
                catch (OperationCanceledException)
                {
                    return over ? CliExit.CheckFailed : CliExit.Ok;
                }
            }
        });
        return command;
    }

    private static void Print(IReadOnlyList<StagePartitionLag> lags, bool json)
    {
        if (json)
        {
            foreach (var lag in lags)
            {
                CliJson.WriteLine(lag);
            }
            return;
        }
        Console.WriteLine($"{"STAGE",-10} {"TOPIC",-40} {"PART",4} {"POSITION",10} {"END",10} {"LAG",8} {"LAG_S",9} OWNER");
        foreach (var lag in lags)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{lag.Stage,-10} {lag.Topic,-40} {lag.Partition,4} {lag.Position?.ToString(CultureInfo.InvariantCulture) ?? "-",10} {lag.End,10} {lag.Records,8} {lag.Seconds,9:0.0} {lag.Owner ?? "-"}"));
        }
        var worst = lags.OrderByDescending(l => l.Seconds).FirstOrDefault();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total lag {lags.Sum(l => l.Records):N0} records; oldest waiting {worst?.Seconds ?? 0:0.0} s{(worst is { Seconds: > 0 } ? $" ({worst.Stage} {worst.Topic} [{worst.Partition}])" : "")}"));
    }
}
