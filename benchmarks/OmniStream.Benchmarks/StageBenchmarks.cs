using BenchmarkDotNet.Attributes;
using OmniStream.Cli.Bench.Stages;

namespace OmniStream.Benchmarks;

/// <summary>
/// The stage micro-benchmark (<c>omnistream bench --stages</c>) under BenchmarkDotNet: the bench's
/// event mix over 10,000 customers on the stage test driver (RocksDB stores, no broker), one stage
/// measured per event, commits every 100 ms of events included. Before each iteration the stages
/// upstream of the measured one work through a batch of events slot by slot, as the clock moves; the
/// measured stage then does the same (timers fire, commits write the stores, changelogs and
/// outputs); after it, the stages downstream catch up, unmeasured. Per operation: one event of the
/// mix (stage <c>kpis</c> gets about one record per seven events). In process: the generated code
/// of the contracts does not build under BenchmarkDotNet's own project.
/// </summary>
[InProcess]
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1)]
public class StageBenchmarks : IDisposable
{
    // Small, and few iterations: customers' states grow with every event, and the bench's figures are those of 10,000 customers with a few events each.
    private const int Batch = 5_000;
    private const int Customers = 10_000;

    private StagePipeline? _pipeline;

    /// <summary>The stage measured.</summary>
    [Params("ingest", "customers", "kpis")]
    public string Stage { get; set; } = "customers";

    /// <summary>The code compiled (on a pipeline thrown away), then a pipeline whose customers each have some state.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var settings = StageBenchSettings.For(Customers);
        StageBench.CompileAsync(settings).GetAwaiter().GetResult();
        _pipeline = new StagePipeline(settings);
        _pipeline.RunAsync(settings.WarmEvents).GetAwaiter().GetResult();
    }

    /// <summary>The batch published and handled, slot by slot, by the stages before the measured one.</summary>
    [IterationSetup]
    public void Upstream()
    {
        var pipeline = Pipeline;
        pipeline.Publish(Batch);
        foreach (var stage in StagePipeline.Stages.TakeWhile(stage => stage != Stage))
        {
            pipeline.PaceAsync(stage, Batch).GetAwaiter().GetResult();
        }
    }

    /// <summary>The measured stage through the batch, slot by slot.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public Task PerEvent() => Pipeline.PaceAsync(Stage, Batch);

    /// <summary>The stages after the measured one catch up.</summary>
    [IterationCleanup]
    public void Downstream()
    {
        foreach (var stage in StagePipeline.Stages.SkipWhile(stage => stage != Stage).Skip(1))
        {
            Pipeline.DrainAsync(stage).GetAwaiter().GetResult();
        }
    }

    /// <summary>Lets go of the pipeline and its stores.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _pipeline?.Dispose();
        _pipeline = null;
        GC.SuppressFinalize(this);
    }

    private StagePipeline Pipeline => _pipeline ?? throw new InvalidOperationException("the benchmark was not set up");
}
