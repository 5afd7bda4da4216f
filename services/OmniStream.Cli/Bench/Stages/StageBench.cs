using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniStream.Cli.Bench.Stages;

/// <summary>
/// The stage micro-benchmark (<c>omnistream bench --stages</c>): the worker's stages on the stage
/// test driver. A first pipeline runs until the JIT is done with the hot path (tiered compilation
/// recompiles hot methods for a while: a worker that has run a minute no longer pays for that) and
/// is thrown away; a fresh one is warmed (each customer gets some state) and measured over several
/// rounds; each stage's figures are those of its median round by CPU time.
/// </summary>
internal static class StageBench
{
    private const int SettleEvents = 5_000;
    private const int MaxSettleRounds = 40;
    // Fewer methods than this compiled over SettleEvents events: the JIT is done with the hot path.
    private const long SettledMethods = 5;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<StageBenchReport> RunAsync(StageBenchSettings settings, Action<string> progress)
    {
        progress($"bench --stages: {settings.Customers:N0} customers, {settings.Partitions} partitions, {settings.Store} stores; compiling…");
        await CompileAsync(settings);
        using var pipeline = new StagePipeline(settings);
        progress($"warming with {settings.WarmEvents:N0} events…");
        await pipeline.RunAsync(settings.WarmEvents);
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var rounds = new List<IReadOnlyList<StageCost>>();
        var (hits, misses) = (pipeline.CustomerCache.Hits, pipeline.CustomerCache.Misses);
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var meters = StagePipeline.Stages.ToDictionary(stage => stage, stage => new StageMeter(stage));
            await pipeline.RunAsync(settings.MeasuredEvents / settings.Rounds, meters);
            var costs = meters.Values.Select(meter => meter.Cost()).ToList();
            rounds.Add(costs);
            progress($"round {round}: " + string.Join(", ", costs.Select(c => $"{c.Stage} {c.CpuUsPerRecord:0.0} µs ({c.ThreadCpuUsPerRecord:0.0} on its thread) {c.AllocatedBytesPerRecord:0} B")));
        }
        var medians = StagePipeline.Stages
            .Select(stage => rounds.Select(round => round.Single(c => c.Stage == stage)).OrderBy(c => c.CpuUsPerRecord).ElementAt(rounds.Count / 2))
            .ToList();
        var (measuredHits, measuredMisses) = (pipeline.CustomerCache.Hits - hits, pipeline.CustomerCache.Misses - misses);
        return new StageBenchReport(settings.Customers, settings.WarmEvents, settings.MeasuredEvents, settings.Rounds, settings.Partitions, settings.Store,
            StageBenchSettings.EventsPerSecond, Math.Round((double)measuredHits / Math.Max(1, measuredHits + measuredMisses), 4), pipeline.CustomerCache.Bytes,
            Math.Round((System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds, 1), medians);
    }

    /// <summary>Runs a pipeline of its own until the JIT is done with the hot path, and throws it away: a measured one then starts from the same state every run.</summary>
    internal static async Task CompileAsync(StageBenchSettings settings)
    {
        using var pipeline = new StagePipeline(settings);
        await pipeline.RunAsync(settings.WarmEvents);
        for (var settle = 0; settle < MaxSettleRounds; settle++)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await pipeline.RunAsync(SettleEvents);
            if (System.Runtime.JitInfo.GetCompiledMethodCount() - compiled < SettledMethods)
            {
                return;
            }
        }
    }

    public static string ToJson(StageBenchReport report) => JsonSerializer.Serialize(report, Json);
}

/// <summary>What the stage micro-benchmark measured: per stage, the median round's cost per record.</summary>
internal sealed record StageBenchReport(int Customers, long WarmEvents, long MeasuredEvents, int Rounds, int Partitions, string Store,
    int SimulatedEventsPerS, double CacheHitRate, long CacheBudgetBytes, double JitMsMeasured, [property: JsonPropertyName("stages")] IReadOnlyList<StageCost> Stages)
{
    public IEnumerable<string> ToLines()
    {
        yield return $"stages on the test driver: {Customers:N0} customers, {MeasuredEvents:N0} events measured in {Rounds} rounds after {WarmEvents:N0}, {Partitions} partitions, {Store} stores";
        yield return $"customers' states found in memory: {CacheHitRate:P1} of reads (cache budget {CacheBudgetBytes / (1024.0 * 1024):N0} MB); JIT while measuring: {JitMsMeasured:N0} ms";
        foreach (var stage in Stages)
        {
            yield return $"{stage.Stage,-10} {stage.Records,9:N0} records  {stage.CpuUsPerRecord,8:0.00} µs CPU ({stage.ThreadCpuUsPerRecord,6:0.00} on its thread)  {stage.AllocatedBytesPerRecord,8:N0} B allocated  {stage.RecordsWrittenPerRecord,5:0.00} records written per record";
        }
    }
}
