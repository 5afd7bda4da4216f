using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Cli.Bench;
using OmniStream.Cli.Demo;
using OmniStream.Cli.Hosting;
using OmniStream.DevCluster;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.State;
using OmniStream.Worker.Topology;

using OmniStream.ServiceDefaults.Auth;
using OmniStream.Kafka;

namespace OmniStream.Cli.Simulation;

/// <summary>
/// <c>omnistream simulate --policy-eval</c>: runs <see cref="SimulatedPopulation"/> through the real
/// worker on an embedded cluster, a channel backend reporting conversions drawn from the hidden
/// rates, and compares the policy's conversion once it has learnt (the second half of its decisions)
/// with choosing at random and with an oracle that knows the rates.
/// </summary>
internal sealed class PolicyEvaluation(int customers, int rate, int seed, TextWriter output, bool json)
{
    private const string ApplicationId = "omnistream-simulation";
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    public async Task<int> RunAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        using var counters = new RuntimeCounters();
        using var cluster = DevKafkaCluster.Start(3);
        await new DevClusterTopicAdmin(cluster).ApplyAsync(TopicCatalog.All, stop);
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        var state = Path.Combine(Path.GetTempPath(), "omnistream-simulation-" + Guid.NewGuid().ToString("N"));
        var (segments, policies) = SimulationFiles.Write(Path.Combine(state, "definitions"));
        var worker = await EmbeddedWorker.StartAsync(cluster, ApplicationId, state, policies, ProcessingGuarantee.ExactlyOnce, DevelopmentCredentials.Create(), stop, segments);
        var population = new SimulatedPopulation(customers, seed);
        using var reporter = new OutcomeReporter(kafka, new AvroSerde<ActionOutcome>(SchemaCatalog.Default), clientId: "omnistream-simulation-outcomes");
        var outcomes = new OfferOutcomes(population, reporter, seed + 1);
        var backend = EmbeddedChannelBackend.Start(kafka, "omnistream-simulation-backend", outcomes.OnActionAsync, stop);
        try
        {
            using var publisher = new ChannelPublisher(kafka, new AvroSerde<InteractionEvent>(SchemaCatalog.Default), clientId: "omnistream-simulation-channels");
            Progress($"simulate: {customers:N0} customers at {rate:N0} events/s through the worker…");
            var events = await PublishAsync(population, publisher, stop);
            var processed = () => counters.RecordsInFrom(WorkerTopology.CustomersInput(ApplicationId));
            await Poll.UntilAsync(() => processed() >= events, BenchRunner.DrainTimeout, stop);
            await Poll.UntilAsync(() => DateTime.UtcNow - outcomes.LastReceivedAt > Quiet, BenchRunner.DrainTimeout, stop);
            var report = Report(events, outcomes, clock.Elapsed);
            output.WriteLine(json ? JsonSerializer.Serialize(report, ReportJson.Default.EvaluationReport) : report.ToString());
            return report.ConsentBreaches == 0 && report.CapBreaches == 0 ? 0 : 1;
        }
        finally
        {
            await backend.DisposeAsync();
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
            RocksDbStore.Wipe(state);
        }
    }

    private async Task<long> PublishAsync(SimulatedPopulation population, ChannelPublisher publisher, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var published = 0L;
        var inFlight = new List<Task>();
        for (var i = 0; i < population.Customers && !stop.IsCancellationRequested; i++)
        {
            foreach (var interaction in population.EventsOf(i))
            {
                inFlight.Add(publisher.PublishAsync(interaction, stop));
                published++;
            }
            var ahead = TimeSpan.FromSeconds((double)published / rate) - clock.Elapsed;
            if (ahead > TimeSpan.Zero)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
                await Task.Delay(ahead, stop);
            }
        }
        await Task.WhenAll(inFlight);
        return published;
    }

    private static EvaluationReport Report(long events, OfferOutcomes outcomes, TimeSpan elapsed)
    {
        var decisions = outcomes.Decisions;
        var learnt = decisions.Skip(decisions.Count / 2).ToList();
        double Rate(IEnumerable<bool> converted) => converted.DefaultIfEmpty().Average(c => c ? 1.0 : 0.0);
        return new EvaluationReport(
            events,
            decisions.Count,
            Round(Rate(learnt.Select(d => d.Converted))),
            Round(Rate(decisions.Select(d => d.Converted))),
            Round(decisions.DefaultIfEmpty().Average(d => SimulatedPopulation.RandomRate(d.Loyal))),
            Round(decisions.DefaultIfEmpty().Average(d => SimulatedPopulation.OracleRate(d.Loyal))),
            Round(learnt.DefaultIfEmpty().Average(d => SimulatedPopulation.Rate(d.Action ?? SimulatedPopulation.Offers[0].Action, d.Loyal))),
            learnt.GroupBy(d => (d.Loyal ? "loyal" : "new") + "/" + d.Action).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            outcomes.ConsentBreaches,
            outcomes.CapBreaches,
            Math.Round(elapsed.TotalSeconds, 1));
    }

    private static double Round(double value) => Math.Round(value, 4);

    private static void Progress(string line) => Console.Error.WriteLine(line);
}

/// <summary>What the policy evaluation measured.</summary>
/// <param name="Events">Interactions published.</param>
/// <param name="Decisions">Offers the channel backend received.</param>
/// <param name="PolicyConversion">Conversions per offer over the second half of the decisions (after learning), as drawn.</param>
/// <param name="PolicyConversionAll">The same over all decisions, learning included.</param>
/// <param name="RandomConversion">Expected conversion had each offer been chosen at random, for the same customers.</param>
/// <param name="OracleConversion">Expected conversion had each offer been the best for the customer's kind.</param>
/// <param name="PolicyExpectedConversion">The hidden rate of the offers chosen in the second half, averaged (the draw without its noise).</param>
/// <param name="ChoicesAfterLearning">How often each offer was chosen for each kind of customer in the second half.</param>
/// <param name="ConsentBreaches">Offers to a customer without marketing consent for the app.</param>
/// <param name="CapBreaches">Offers beyond the daily cap or within the minimum gap of the previous one.</param>
/// <param name="DurationS">How long the run took.</param>
internal sealed record EvaluationReport(
    long Events, int Decisions, double PolicyConversion, double PolicyConversionAll, double RandomConversion, double OracleConversion,
    double PolicyExpectedConversion, Dictionary<string, int> ChoicesAfterLearning, int ConsentBreaches, int CapBreaches, double DurationS)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"simulate: events={Events} decisions={Decisions} policy_conversion={PolicyConversion:0.000} random_conversion={RandomConversion:0.000} " +
        $"oracle_conversion={OracleConversion:0.000} ratio_to_random={PolicyConversion / RandomConversion:0.00} share_of_oracle={PolicyConversion / OracleConversion:0.00} " +
        $"consent_breaches={ConsentBreaches} cap_breaches={CapBreaches}");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EvaluationReport))]
internal sealed partial class ReportJson : JsonSerializerContext;
