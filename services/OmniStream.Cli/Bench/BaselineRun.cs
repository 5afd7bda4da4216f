using System.Diagnostics;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.DevCluster;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka;

namespace OmniStream.Cli.Bench;

/// <summary>Phase (a): the plain pass-through on a cluster of its own, fed by the same events.</summary>
internal static class BaselineRun
{
    /// <summary>Events per second through the pass-through, from the first publish to the last commit.</summary>
    public static async Task<double> MeasureAsync(BenchSettings settings, CancellationToken stop)
    {
        using var cluster = DevKafkaCluster.Start(settings.Brokers);
        await new DevClusterTopicAdmin(cluster).ApplyAsync([.. TopicCatalog.AllInteractions, PassThroughBaseline.Output], stop);
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        var passThrough = new PassThroughBaseline(kafka, settings.Guarantee);
        using var stopCopying = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var copying = Task.Factory.StartNew(() => passThrough.Run(stopCopying.Token), TaskCreationOptions.LongRunning);
        try
        {
            using var publisher = new ChannelPublisher(kafka, new AvroSerde<InteractionEvent>(SchemaCatalog.Default), clientId: "omnistream-bench-channels");
            if (!await Poll.UntilAsync(() => passThrough.Assigned || copying.IsCompleted, BenchRunner.JoinTimeout, stop))
            {
                throw new TimeoutException("the pass-through consumer was not assigned partitions");
            }
            var load = new OfferedLoad(publisher, new BenchTraffic(settings.Customers));
            var clock = Stopwatch.StartNew();
            await load.FloodAsync(settings.Events, () => passThrough.Committed, BenchRunner.Backlog, stop);
            if (!await Poll.UntilAsync(() => passThrough.Committed >= settings.Events || copying.IsCompleted, BenchRunner.DrainTimeout, stop))
            {
                throw new TimeoutException($"the pass-through copied {passThrough.Committed} of {settings.Events} events");
            }
            return settings.Events / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await stopCopying.CancelAsync();
            await copying;
        }
    }
}
