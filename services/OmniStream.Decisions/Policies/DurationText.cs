using System.Globalization;

namespace OmniStream.Decisions.Policies;

/// <summary>Durations as policy files write them: a number and a unit (<c>500ms</c>, <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>).</summary>
public static class DurationText
{
    /// <summary>The duration <paramref name="text"/> says, or null when it does not read.</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text.Trim();
        var unitLength = text.EndsWith("ms", StringComparison.Ordinal) ? 2 : 1;
        if (text.Length <= unitLength || !double.TryParse(text[..^unitLength], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            return null;
        }
        return text[^unitLength..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => null,
        };
    }

    /// <summary>The shortest text of <paramref name="duration"/> in the largest whole unit.</summary>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerDay == 0 ? $"{duration.TotalDays:0}d"
        : duration.Ticks % TimeSpan.TicksPerHour == 0 ? $"{duration.TotalHours:0}h"
        : duration.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{duration.TotalMinutes:0}m"
        : duration.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{duration.TotalSeconds:0}s"
        : $"{duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms";
}
