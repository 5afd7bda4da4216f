using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Kpis;

/// <summary>The tumbling windows KPIs are counted over, aligned on UTC.</summary>
public static class KpiWindows
{
    /// <summary>Every window, shortest first.</summary>
    public static IReadOnlyList<KpiWindow> All { get; } = [KpiWindow.MINUTE, KpiWindow.HOUR, KpiWindow.DAY];

    /// <summary>The length of <paramref name="window"/>.</summary>
    public static TimeSpan Length(KpiWindow window) => window switch
    {
        KpiWindow.MINUTE => TimeSpan.FromMinutes(1),
        KpiWindow.HOUR => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>The start of the <paramref name="window"/> that holds <paramref name="at"/>.</summary>
    public static DateTime StartOf(KpiWindow window, DateTime at)
    {
        var ticks = at.ToUniversalTime().Ticks;
        return new DateTime(ticks - ticks % Length(window).Ticks, DateTimeKind.Utc);
    }

    /// <summary>How long windows of this length are kept after they end.</summary>
    public static TimeSpan Kept(KpiWindow window, KpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return window switch
        {
            KpiWindow.MINUTE => options.KeepMinutes,
            KpiWindow.HOUR => options.KeepHours,
            _ => options.KeepDays,
        };
    }
}
