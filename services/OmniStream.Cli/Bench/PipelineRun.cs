using System.Diagnostics;
using OmniStream.Cli.Demo;
using OmniStream.Cli.Hosting;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.DevCluster;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Hosting;
using OmniStream.Streaming.State;
using OmniStream.Worker.Topology;

using OmniStream.ServiceDefaults.Auth;

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
        using var cluster = DevKafkaCluster.Start(settings.Brokers);
        await new DevClusterTopicAdmin(cluster).ApplyAsync(TopicCatalog.All, stop);
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        var state = Path.Combine(Path.GetTempPath(), "omnistream-bench-" + Guid.NewGuid().ToString("N"));
        var worker = await EmbeddedWorker.StartAsync(cluster, ApplicationId, state, BenchPolicy.Write(state, CartIdleTime), settings.Guarantee, DevelopmentCredentials.Create(), stop);
        var latencies = new ActionMonitor();
        var measureFrom = DateTime.MaxValue;
        var backend = EmbeddedChannelBackend.Start(kafka, "omnistream-bench-channel-backend",
            (action, ct) => action.triggeredAt >= measureFrom ? latencies.OnActionAsync(action, ct) : ValueTask.CompletedTask, stop);
        try
        {
            using var publisher = new ChannelPublisher(kafka, new AvroSerde<InteractionEvent>(SchemaCatalog.Default), clientId: "omnistream-bench-channels");
            var traffic = new BenchTraffic(settings.Customers);
            var load = new OfferedLoad(publisher, traffic);
            var processed = () => counters.RecordsInFrom(WorkerTopology.CustomersInput(ApplicationId));

            var clock = Stopwatch.StartNew();
            await load.FloodAsync(settings.Events, processed, BenchRunner.Backlog, stop);
            await DrainAsync(processed, settings.Events, stop);
            var eventsPerSecond = settings.Events / clock.Elapsed.TotalSeconds;

            measureFrom = DateTime.UtcNow;
            var before = load.Published;
            await load.PaceAsync(settings.OfferedRate, settings.LatencyDuration, stop);
            var offered = load.Published - before;
            var expectedActions = CountCarts(before, load.Published);
            await DrainAsync(processed, load.Published, stop);
            await Poll.UntilAsync(() => latencies.Received >= expectedActions, BenchRunner.DrainTimeout, stop);

            // The monitor measures from the reminder's due time, one idle time after its cart update.
            double EventToAction(double p) => latencies.LatencyPercentile(p) + CartIdleTime.TotalMilliseconds;
            return new PipelineFigures(eventsPerSecond, offered, expectedActions, latencies.Received,
                EventToAction(50), EventToAction(99), EventToAction(99.9), DirectorySize(state) / (1024.0 * 1024));
        }
        finally
        {
            await backend.DisposeAsync();
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
            RocksDbStore.Wipe(state);
        }
    }

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
internal sealed record PipelineFigures(
    double EventsPerSecond, long LatencyEvents, long ExpectedActions, long Actions, double P50Ms, double P99Ms, double P999Ms, double StateMb);
