namespace OmniStream.Cli.Bench.Stages;

/// <summary>What one stage's work cost on the measuring thread: CPU time and bytes allocated, and the records it handled.</summary>
internal sealed class StageMeter(string stage)
{
    private long _cpuNanoseconds;
    private long _allocated;

    public string Stage => stage;

    /// <summary>Records the stage handled while measured.</summary>
    public long Records { get; private set; }

    /// <summary>Runs <paramref name="work"/> (which handles <c>records</c> records, returned) and adds what it cost.</summary>
    public async Task MeasureAsync(Func<Task<int>> work)
    {
        var cpu = ThreadCpu.Nanoseconds();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var records = await work().ConfigureAwait(false);
        _allocated += GC.GetAllocatedBytesForCurrentThread() - allocated;
        _cpuNanoseconds += ThreadCpu.Nanoseconds() - cpu;
        Records += records;
    }

    public StageCost Cost() => new(stage, Records,
        Records == 0 ? 0 : Math.Round(_cpuNanoseconds / 1000.0 / Records, 2),
        Records == 0 ? 0 : Math.Round((double)_allocated / Records, 1));
}

/// <summary>One stage's cost per record it handled, its share of commits and timers included.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Records">Records it handled.</param>
/// <param name="CpuUsPerRecord">Microseconds of CPU per record.</param>
/// <param name="AllocatedBytesPerRecord">Bytes allocated per record.</param>
internal sealed record StageCost(string Stage, long Records, double CpuUsPerRecord, double AllocatedBytesPerRecord);
