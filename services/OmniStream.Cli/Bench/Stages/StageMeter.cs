namespace OmniStream.Cli.Bench.Stages;

/// <summary>
/// What one stage's work cost: the process's CPU time while it worked (its own thread, and the
/// collector's and the store's threads working for it), its thread's own CPU time, the bytes it
/// allocated, the records it handled and the records it wrote (outputs and changelogs).
/// </summary>
internal sealed class StageMeter(string stage)
{
    private long _cpuNanoseconds;
    private long _threadNanoseconds;
    private long _allocated;
    private long _written;
    private TimeSpan _paused;
    private readonly int[] _collections = new int[3];

    public string Stage => stage;

    /// <summary>Records the stage handled while measured.</summary>
    public long Records { get; private set; }

    /// <summary>Runs <paramref name="work"/> (which returns the records it handled and wrote) and adds what it cost.</summary>
    public async Task MeasureAsync(Func<Task<(int Handled, long Written)>> work)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var thread = ThreadCpu.Nanoseconds();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var paused = GC.GetTotalPauseDuration();
        var collections = Collections();
        var (records, written) = await work().ConfigureAwait(false);
        _paused += GC.GetTotalPauseDuration() - paused;
        var after = Collections();
        for (var generation = 0; generation < _collections.Length; generation++)
        {
            _collections[generation] += after[generation] - collections[generation];
        }
        _allocated += GC.GetAllocatedBytesForCurrentThread() - allocated;
        _threadNanoseconds += ThreadCpu.Nanoseconds() - thread;
        _cpuNanoseconds += (Environment.CpuUsage.TotalTime - cpu).Ticks * 100;
        Records += records;
        _written += written;
    }

    public StageCost Cost() => new(stage, Records, PerRecord(_cpuNanoseconds / 1000.0), PerRecord(_threadNanoseconds / 1000.0), PerRecord(_allocated), PerRecord(_written),
        PerRecord(_paused.TotalMicroseconds), [.. _collections]);

    private static int[] Collections() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    private double PerRecord(double total) => Records == 0 ? 0 : Math.Round(total / Records, 2);
}

/// <summary>One stage's cost per record it handled, its share of commits and timers included.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Records">Records it handled.</param>
/// <param name="CpuUsPerRecord">Microseconds of the process's CPU per record.</param>
/// <param name="ThreadCpuUsPerRecord">Of those, the stage's own thread's.</param>
/// <param name="AllocatedBytesPerRecord">Bytes allocated per record.</param>
/// <param name="RecordsWrittenPerRecord">Records written per record handled: outputs, changelog records (the read positions' too), dead letters.</param>
/// <param name="GcPauseUsPerRecord">Microseconds the runtime's collections paused the process, per record.</param>
/// <param name="Collections">Collections of generations 0, 1 and 2 while the stage worked (each counts the younger ones too).</param>
internal sealed record StageCost(string Stage, long Records, double CpuUsPerRecord, double ThreadCpuUsPerRecord, double AllocatedBytesPerRecord, double RecordsWrittenPerRecord,
    double GcPauseUsPerRecord, IReadOnlyList<int> Collections);
