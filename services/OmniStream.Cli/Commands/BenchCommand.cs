using System.CommandLine;
using OmniStream.Cli.Bench;
using OmniStream.Cli.Bench.Stages;
using OmniStream.Streaming.Processing;

namespace OmniStream.Cli.Commands;

/// <summary><c>omnistream bench</c>: the transport's ceiling against the worker pipeline, then latency at a fixed load.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "The customer population (10k to 1M)", DefaultValueFactory = _ => 10_000 };
        var events = new Option<long?>("--events") { Description = "Events per throughput run (default: 200,000 or one per customer, whichever is more)" };
        var rate = new Option<int[]>("--rate")
        {
            Description = "Events per second offered while latency is measured, once per --rate (keep them below the pipeline's throughput)",
            DefaultValueFactory = _ => [2_000, 5_000],
            Arity = ArgumentArity.OneOrMore,
        };
        var latencyDuration = new Option<TimeSpan>("--latency-duration") { Description = "How long latency is measured (e.g. 20s)", CustomParser = DurationParser.Parse, DefaultValueFactory = _ => TimeSpan.FromSeconds(20) };
        var guarantee = new Option<ProcessingGuarantee>("--guarantee") { Description = "ExactlyOnce or AtLeastOnce, for both runs", DefaultValueFactory = _ => ProcessingGuarantee.ExactlyOnce };
        var brokers = new Option<int>("--brokers") { Description = "Brokers of each embedded cluster", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Threads per stage in the worker (OmniStream:Stream:Threads)", DefaultValueFactory = _ => 1 };
        var stageThreads = new Option<string[]>("--stage-threads")
        {
            Description = "Threads of one stage, as stage=count (repeatable; OmniStream:Stream:StageThreads)",
            AllowMultipleArgumentsPerToken = false,
        };
        stageThreads.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string[]>() is { } pairs && pairs.FirstOrDefault(p => StageThreadsParser.Parse(p) is null) is { } bad)
            {
                r.AddError($"--stage-threads takes stage=count with a count of 1 to 64, not '{bad}'");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout (progress goes to stderr)" };
        var stages = new Option<bool>("--stages")
        {
            Description = "Instead: the micro-benchmark of each stage on the stage test driver, no broker (CPU and bytes allocated per record; --customers, --events measured, --store, --cache-bytes)",
        };
        var store = new Option<string>("--store") { Description = "With --stages: rocksdb (as the worker) or memory", DefaultValueFactory = _ => "rocksdb" };
        var cacheBytes = new Option<long?>("--cache-bytes")
        {
            Description = "With --stages: the customers' state cache budget in bytes (OmniStream:Customers:StateCacheBytes; default the worker's, 64 MB)",
        };
        store.AcceptOnlyFromAmong("rocksdb", "memory");
        OptionRules.AtLeast(customers, 1_000);
        rate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int[]>() is { } rates && rates.Any(value => value < 1))
            {
                r.AddError("--rate must be at least 1 event/s");
            }
        });
        OptionRules.AtLeast(brokers, 1);
        OptionRules.AtLeast(threads, 1);
        OptionRules.AtLeast(latencyDuration, TimeSpan.FromSeconds(1));
        cacheBytes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long?>() is < 0)
            {
                r.AddError("--cache-bytes must be 0 or more");
            }
        });
        events.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long?>() is < 1_000)
            {
                r.AddError("--events must be at least 1000");
            }
        });

        var command = new Command("bench", "Measure, on embedded clusters in this process: a plain consume→produce pass-through, the worker pipeline's throughput, and event→action latency at a fixed load")
        {
            customers, events, rate, latencyDuration, guarantee, brokers, threads, stageThreads, json, stages, store, cacheBytes,
        };
        command.SetAction((parse, stop) =>
        {
            if (parse.GetValue(stages))
            {
                var defaults = StageBenchSettings.For(parse.GetValue(customers));
                return RunStagesAsync(defaults with
                {
                    MeasuredEvents = parse.GetValue(events) ?? defaults.MeasuredEvents, Store = parse.GetValue(store)!, CacheBytes = parse.GetValue(cacheBytes),
                }, parse.GetValue(json));
            }
            var population = parse.GetValue(customers);
            var settings = new BenchSettings(population, parse.GetValue(events) ?? Math.Max(200_000, population),
                parse.GetValue(rate) ?? [2_000], parse.GetValue(latencyDuration), parse.GetValue(guarantee), parse.GetValue(brokers),
                parse.GetValue(threads), (parse.GetValue(stageThreads) ?? []).Select(p => StageThreadsParser.Parse(p)!.Value).ToDictionary());
            return new BenchRunner(settings, Console.Out, parse.GetValue(json)).RunAsync(stop);
        });
        return command;
    }

    private static async Task<int> RunStagesAsync(StageBenchSettings settings, bool json)
    {
        var report = await StageBench.RunAsync(settings, line => Console.Error.WriteLine(line));
        foreach (var line in json ? [StageBench.ToJson(report)] : report.ToLines())
        {
            Console.Out.WriteLine(line);
        }
        return 0;
    }
}
