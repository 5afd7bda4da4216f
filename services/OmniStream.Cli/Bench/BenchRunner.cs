using System.Diagnostics;
using OmniStream.Streaming.Processing;

using OmniStream.Cli.Commands;

namespace OmniStream.Cli.Bench;

/// <summary>Runs the baseline, then the pipeline, in this process, and reports both.</summary>
internal sealed class BenchRunner(BenchSettings settings, TextWriter output, bool json)
{
    /// <summary>
    /// The most events waiting between publisher and consumer: well under the 5 MB the embedded
    /// brokers keep per partition (older records are dropped), and enough to keep every stage busy.
    /// </summary>
    public const long Backlog = 30_000;

    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);

    public async Task<int> RunAsync(CancellationToken stop)
    {
        Progress($"bench: {settings.Customers:N0} customers, {settings.Events:N0} events, {Describe(settings.Guarantee)}; (a) pass-through baseline…");
        var baseline = await BaselineRun.MeasureAsync(settings, stop);
        Progress($"bench: baseline {baseline:N0} events/s; (b) worker pipeline…");
        var pipeline = await new PipelineRun(settings).MeasureAsync(stop);
        var first = pipeline.Latency[0];
        var report = new BenchReport(
            Describe(settings.Guarantee),
            $"embedded ({settings.Brokers} brokers, librdkafka mock cluster)",
            Environment.ProcessorCount,
            settings.Threads,
            settings.Customers,
            settings.Events,
            Math.Round(baseline),
            Math.Round(pipeline.EventsPerSecond),
            Math.Round(pipeline.EventsPerSecond / baseline, 3),
            first.OfferedEventsPerS,
            first.Events,
            first.ExpectedActions,
            first.Actions,
            first.P50Ms,
            first.P99Ms,
            first.P999Ms,
            Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024)),
            Math.Round(pipeline.StateMb),
            Math.Round(pipeline.GcHeapMbPeak),
            Math.Round(pipeline.GcCommittedMbPeak),
            pipeline.Cost.CpuUsPerEvent,
            pipeline.Cost.BrokerCpuShare,
            pipeline.Cost.GcPauseMsTotal,
            pipeline.Cost.ChangelogBytesPerEvent,
            pipeline.Cost.ProducedBytesPerEvent,
            pipeline.Cost.Stages,
            pipeline.Latency);
        if (json)
        {
            output.WriteLine(report.ToJson());
        }
        else
        {
            foreach (var line in report.ToLines())
            {
                output.WriteLine(line);
            }
        }
        return pipeline.Latency.All(phase => phase.Actions >= phase.ExpectedActions) ? CliExit.Ok : CliExit.CheckFailed;
    }

    private static string Describe(ProcessingGuarantee guarantee) =>
        guarantee == ProcessingGuarantee.ExactlyOnce ? "exactly-once" : "at-least-once";

    // Progress goes to stderr so that --json leaves stdout one JSON object.
    private static void Progress(string line) => Console.Error.WriteLine(line);
}
