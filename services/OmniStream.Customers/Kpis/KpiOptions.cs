namespace OmniStream.Customers.Kpis;

/// <summary>How KPIs are counted and how long their windows are kept. Section <c>OmniStream:Kpis</c>.</summary>
public sealed class KpiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Kpis";

    /// <summary>A pause longer than this on a channel ends a journey (default 30 minutes).</summary>
    public TimeSpan JourneyGap { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long minute windows are kept after they end (default 2 hours).</summary>
    public TimeSpan KeepMinutes { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long hour windows are kept after they end (default 2 days).</summary>
    public TimeSpan KeepHours { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long day windows are kept after they end (default 35 days).</summary>
    public TimeSpan KeepDays { get; set; } = TimeSpan.FromDays(35);

    /// <summary>Checks the settings; returns the first problem, naming the setting, or null.</summary>
    public string? Problem() =>
        JourneyGap <= TimeSpan.Zero ? $"{Section}:JourneyGap must be positive"
        : KeepMinutes <= TimeSpan.Zero || KeepHours <= TimeSpan.Zero || KeepDays <= TimeSpan.Zero
            ? $"{Section}:KeepMinutes, KeepHours and KeepDays must be positive"
        : null;
}
