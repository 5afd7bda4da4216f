using System.Runtime.InteropServices;

namespace OmniStream.Cli.Bench.Stages;

/// <summary>The CPU time the calling thread has used (Linux's per-thread clock); falls back to the process's elsewhere.</summary>
internal static partial class ThreadCpu
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    /// <summary>CPU time of the calling thread, in nanoseconds.</summary>
    public static long Nanoseconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuClock, out var time) == 0)
        {
            return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
        }
        return (long)(Environment.CpuUsage.TotalTime.Ticks * 100L);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
