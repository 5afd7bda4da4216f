using System.Diagnostics;
using OmniStream.Cli.Demo;
using OmniStream.Cli.Hosting;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.DevCluster;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.State;
using OmniStream.Worker.Topology;

using OmniStream.ServiceDefaults.Auth;
using OmniStream.Kafka;

namespace OmniStream.Cli.Bench;

/// <summary>
/// Phase (b): the worker (identity re-key, journey state in RocksDB, cart reminder decision) on a
/// cluster of its own. First its throughput on the same events as the baseline; then, at a fixed
/// offered load, the latency from each cart update to its reminder reaching a channel backend.
/// The bench policy (<see cref="BenchPolicy"/>) makes every cart update yield a reminder 1 ms later.
/// </summary>
internal sealed class PipelineRun(BenchSettings settings)
{
    private const string ApplicationId = "omnistream-bench";
    private static readonly TimeSpan CartIdleTime = TimeSpan.FromMilliseconds(1);

    public async Task<PipelineFigures> MeasureAsync(CancellationToken stop)
    {
        using var counters = new RuntimeCounters();
        await using var heap = new HeapPeak();
        using var cluster = DevKafkaCluster.Start(settings.Brokers);
        await new DevClusterTopicAdmin(cluster).ApplyAsync(TopicCatalog.All, stop);
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        var state = Path.Combine(Path.GetTempPath(), "omnistream-bench-" + Guid.NewGuid().ToString("N"));
        var worker = await EmbeddedWorker.StartAsync(cluster, ApplicationId, state, BenchPolicy.Write(state, CartIdleTime), settings.Guarantee, DevelopmentCredentials.Create(), stop,
            threads: settings.Threads, stageThreads: settings.StageThreads);
        var latencies = new ActionMonitor();
        var measureFrom = DateTime.MaxValue;
        var stageInputs = WorkerTopology.StageInputs(ApplicationId);
        var backend = EmbeddedChannelBackend.Start(kafka, "omnistream-bench-channel-backend",
            (action, ct) => action.triggeredAt >= measureFrom ? latencies.OnActionAsync(action, ct) : ValueTask.CompletedTask, stop);
        try
        {
            using var publisher = new ChannelPublisher(kafka, new AvroSerde<InteractionEvent>(SchemaCatalog.Default), clientId: "omnistream-bench-channels");
            var traffic = new BenchTraffic(settings.Customers);
            var load = new OfferedLoad(publisher, traffic);
            var processed = () => counters.RecordsInFrom(WorkerTopology.CustomersInput(ApplicationId));

            var start = Snapshot(counters, stageInputs);
            var clock = Stopwatch.StartNew();
            await load.FloodAsync(settings.Events, processed, BenchRunner.Backlog, stop);
            await DrainAsync(processed, settings.Events, stop);
            var seconds = clock.Elapsed.TotalSeconds;
            await LastCommitAsync(counters, stop);
            var cost = Cost(start, Snapshot(counters, stageInputs), settings.Events, seconds);

            var phases = new List<LatencyFigures>();
            foreach (var rate in settings.OfferedRates)
            {
                latencies = new ActionMonitor();
                measureFrom = DateTime.UtcNow;
                var before = load.Published;
                await load.PaceAsync(rate, settings.LatencyDuration, stop);
                var expectedActions = CountCarts(before, load.Published);
                await DrainAsync(processed, load.Published, stop);
                await Poll.UntilAsync(() => latencies.Received >= expectedActions, BenchRunner.DrainTimeout, stop);
                // The monitor measures from the reminder's due time, one idle time after its cart update.
                double EventToAction(double p) => Math.Round(latencies.LatencyPercentile(p) + CartIdleTime.TotalMilliseconds, 1);
                phases.Add(new LatencyFigures(rate, load.Published - before, expectedActions, latencies.Received, EventToAction(50), EventToAction(99), EventToAction(99.9)));
                measureFrom = DateTime.MaxValue;
            }
            return new PipelineFigures(settings.Events / seconds, phases, cost, DirectorySize(state) / (1024.0 * 1024), heap.HeapMb, heap.CommittedMb);
        }
        finally
        {
            await backend.DisposeAsync();
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
            RocksDbStore.Wipe(state);
        }
    }

    private static Snapshot Snapshot(RuntimeCounters counters, IReadOnlyDictionary<string, IReadOnlyList<string>> stageInputs) => new(
        ProcessCpu.Now(),
        GC.GetTotalPauseDuration(),
        counters.ProducedByTopic(),
        stageInputs.ToDictionary(s => s.Key, s => (s.Value.Sum(counters.RecordsInFrom), counters.BusySeconds(s.Key))));

    private CostFigures Cost(Snapshot before, Snapshot after, long events, double seconds)
    {
        var cpu = after.Cpu - before.Cpu;
        return new CostFigures(
            Math.Round((cpu.Total - cpu.Brokers).TotalMicroseconds / events, 1),
            cpu.Total > TimeSpan.Zero ? Math.Round(cpu.Brokers / cpu.Total, 3) : 0,
            Math.Round((after.GcPause - before.GcPause).TotalMilliseconds),
            Math.Round(after.Produced.Where(p => p.Key.EndsWith("-changelog", StringComparison.Ordinal))
                .Sum(p => p.Value - before.Produced.GetValueOrDefault(p.Key)) / (double)events),
            after.Produced.Select(p => (Topic: p.Key, Bytes: Math.Round((p.Value - before.Produced.GetValueOrDefault(p.Key)) / (double)events)))
                .Where(p => p.Bytes > 0).OrderByDescending(p => p.Bytes).ToDictionary(p => p.Topic, p => p.Bytes),
            [.. after.Stages.Select(s => new StageFigures(s.Key,
                Math.Round((s.Value.RecordsIn - before.Stages[s.Key].RecordsIn) / seconds),
                Math.Round(Math.Min(1, (s.Value.BusySeconds - before.Stages[s.Key].BusySeconds) / (seconds * ThreadsOf(s.Key))), 3)))]);
    }

    private int ThreadsOf(string stage) => settings.StageThreads?.GetValueOrDefault(stage, settings.Threads) ?? settings.Threads;

    // A busy stage commits when its input runs dry: the changelog records and outputs of the events read last come with
    // a commit just after they are read. The costs wait for it (a while at most: it may have come already).
    private static async Task LastCommitAsync(RuntimeCounters counters, CancellationToken stop)
    {
        var changelog = ChangelogTopics.For(ApplicationId, WorkerTopology.CustomersStore);
        var written = counters.ProducedByTopic().GetValueOrDefault(changelog);
        await Poll.UntilAsync(() => counters.ProducedByTopic().GetValueOrDefault(changelog) > written, LastCommitWait, stop);
    }

    private static readonly TimeSpan LastCommitWait = TimeSpan.FromSeconds(2);

    private static async Task DrainAsync(Func<long> processed, long target, CancellationToken stop)
    {
        if (!await Poll.UntilAsync(() => processed() >= target, BenchRunner.DrainTimeout, stop))
        {
            throw new TimeoutException($"the worker processed {processed()} of {target} events within {BenchRunner.DrainTimeout.TotalSeconds:0} s");
        }
    }

    private static long CountCarts(long from, long to)
    {
        var carts = 0L;
        for (var i = from; i < to; i++)
        {
            carts += BenchTraffic.IsCartUpdate(i) ? 1 : 0;
        }
        return carts;
    }

    private static long DirectorySize(string path) =>
        Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
}

/// <summary>What the pipeline run measured.</summary>
internal sealed record PipelineFigures(double EventsPerSecond, IReadOnlyList<LatencyFigures> Latency, CostFigures Cost, double StateMb,
    double GcHeapMbPeak, double GcCommittedMbPeak);

/// <summary>Event→action latency at one offered load.</summary>
internal sealed record LatencyFigures(int OfferedEventsPerS, long Events, long ExpectedActions, long Actions, double P50Ms, double P99Ms, double P999Ms);

/// <summary>What the throughput run cost: CPU per event (the embedded brokers' threads left out), their share, GC pauses, changelog bytes, bytes produced per topic, and each stage.</summary>
internal sealed record CostFigures(double CpuUsPerEvent, double BrokerCpuShare, double GcPauseMsTotal, double ChangelogBytesPerEvent,
    IReadOnlyDictionary<string, double> ProducedBytesPerEvent, IReadOnlyList<StageFigures> Stages);

/// <summary>One stage during the throughput run: records read per second, and the share of the time its loops (one per thread) worked rather than waited.</summary>
internal sealed record StageFigures(string Stage, double RecordsPerS, double BusyShare);

internal sealed record Snapshot(ProcessCpu Cpu, TimeSpan GcPause, IReadOnlyDictionary<string, long> Produced, Dictionary<string, (long RecordsIn, double BusySeconds)> Stages);
