using System.Globalization;

namespace OmniStream.Cli.Bench;

/// <summary>
/// This process's CPU time, and the part of it spent on the embedded brokers' threads (librdkafka's mock
/// cluster names them <c>rdk:mock</c>), read from Linux's /proc; zero elsewhere.
/// </summary>
/// <param name="Total">User and system time of the whole process, threads that ended included.</param>
/// <param name="Brokers">User and system time of the embedded brokers' threads.</param>
internal readonly record struct ProcessCpu(TimeSpan Total, TimeSpan Brokers)
{
    // /proc counts in USER_HZ, which Linux fixes at 100 for user space whatever the kernel's tick.
    private const double TicksPerSecond = 100;

    public static ProcessCpu Now()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return default;
        }
        var brokers = TimeSpan.Zero;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith("rdk:mock", StringComparison.Ordinal))
                {
                    brokers += Time(File.ReadAllText(Path.Combine(task, "stat")));
                }
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return new ProcessCpu(Time(File.ReadAllText("/proc/self/stat")), brokers);
    }

    public static ProcessCpu operator -(ProcessCpu after, ProcessCpu before) => new(after.Total - before.Total, after.Brokers - before.Brokers);

    // Fields after the command name (which may hold spaces, in parentheses): state is the 3rd field, utime the 14th, stime the 15th.
    private static TimeSpan Time(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
