using System.Globalization;
using Confluent.Kafka;
using OmniStream.Cli.Hosting;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.DevCluster;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.State;
using OmniStream.Worker.Api;
using OmniStream.Worker.Definitions;
using Microsoft.Extensions.DependencyInjection;

using OmniStream.ServiceDefaults.Auth;
using OmniStream.Kafka;

namespace OmniStream.Cli.Demo;

/// <summary>
/// The whole flow on one machine: embedded cluster → channel traffic through the SDK → worker →
/// actions received by a channel backend. Everything is torn down in order (clients, then cluster).
/// </summary>
internal sealed class DemoRunner(DemoSettings settings, TextWriter output)
{
    private static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(15);

    /// <summary>The demo worker's application id: what <c>omnistream lag</c> needs to find it.</summary>
    public const string Application = "omnistream-demo-worker";

    public async Task<int> RunAsync(CancellationToken stop)
    {
        using var runtime = new RuntimeCounters();
        using var cluster = DevKafkaCluster.Start(settings.Brokers);
        await new DevClusterTopicAdmin(cluster).ApplyAsync(TopicCatalog.All, stop);
        output.WriteLine($"cluster: {settings.Brokers} embedded brokers at {cluster.BootstrapServers}, {TopicCatalog.All.Count} topics");
        output.WriteLine($"application: {Application} (its stages' lag: omnistream lag --bootstrap-servers {cluster.BootstrapServers} --application-id {Application})");

        var monitor = new ActionMonitor();
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        var state = Path.Combine(Path.GetTempPath(), "omnistream-demo-" + Guid.NewGuid().ToString("N"));
        var credentials = DevelopmentCredentials.Create();
        var worker = await EmbeddedWorker.StartAsync(cluster, Application, state,
            ShippedPolicies.WriteWithCartIdle(Path.Combine(state, "policies"), settings.CartIdleTime), ProcessingGuarantee.ExactlyOnce, credentials, stop);
        using var publisher = new ChannelPublisher(kafka, new AvroSerde<InteractionEvent>(SchemaCatalog.Default), clientId: "omnistream-demo-channels");
        using var faultyBackend = new ProducerBuilder<string, byte[]>(KafkaClientConfigs.Producer(kafka, "omnistream-demo-faulty-backend")).Build();
        var warmUp = new PipelineWarmUp();
        var backend = EmbeddedChannelBackend.Start(kafka, "omnistream-demo-channel-backend",
            (action, ct) => warmUp.Take(action) ? ValueTask.CompletedTask : monitor.OnActionAsync(action, ct), stop);
        var traffic = new TrafficSimulator(publisher, faultyBackend, settings);
        using var stopLink = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var api = new Uri(worker.Services.GetRequiredService<ApiOptions>().Url);
        var link = LiveCustomerLink.AnnounceAsync(api, credentials.Token, () => monitor.LatestActions(1) is [{ } latest] ? latest.customerId : TrafficSimulator.CustomerId(1), output, stopLink.Token);
        try
        {
            var warm = await warmUp.RunAsync(publisher, stop);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pipeline warm: a first event went through every stage to a channel backend in {warm.TotalMilliseconds:N0} ms"));
            await FlowAsync(traffic, new DemoDisplay(output, traffic, monitor, runtime), stop);
        }
        finally
        {
            await stopLink.CancelAsync();
            await link;
            // Clients stop before the cluster (disposed last by its using): no client may outlive it.
            await backend.DisposeAsync();
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
            RocksDbStore.Wipe(state);
        }

        if (monitor.Received == 0)
        {
            await Console.Error.WriteLineAsync("demo: no action reached the channels; see the worker's log above");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"demo: events={traffic.Published} actions={monitor.Received} p50_ms={monitor.LatencyPercentile(50):0} p99_ms={monitor.LatencyPercentile(99):0}"));
        return monitor.Received > 0 ? 0 : 1;
    }

    private async Task FlowAsync(TrafficSimulator traffic, DemoDisplay display, CancellationToken stop)
    {
        output.WriteLine($"traffic: {settings.Customers:N0} customers across web, app, store, email, call center and chatbot, " +
                         $"{settings.EventsPerSecond:N0} events/s for {settings.Duration.TotalSeconds:0} s; a cart idle for {settings.CartIdleTime.TotalSeconds:0.#} s gets a reminder");
        using var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(stop);
        stopTraffic.CancelAfter(settings.Duration);
        var flowing = traffic.RunAsync(stopTraffic.Token);
        await display.ShowUntilAsync(flowing);
        await flowing;
        if (stop.IsCancellationRequested)
        {
            return;
        }
        var drain = Min(settings.CartIdleTime + TimeSpan.FromSeconds(1), MaxDrain);
        output.WriteLine($"traffic stopped; {drain.TotalSeconds:0.#} s more for reminders already armed");
        await display.ShowUntilAsync(Task.Delay(drain, stop).ContinueWith(_ => { }, TaskScheduler.Default));
        display.ShowNow();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
