using System.CommandLine.Parsing;
using System.Globalization;

namespace OmniStream.Cli.Commands;

/// <summary>Reads durations as people write them: 500ms, 30s, 5m, 1h, or hh:mm:ss.</summary>
internal static class DurationParser
{
    public static TimeSpan Parse(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value.Trim();
        if (TryParse(text, out var duration))
        {
            return duration;
        }
        result.AddError($"'{text}' is not a duration: write 500ms, 30s, 5m, 1h or hh:mm:ss");
        return default;
    }

    public static bool TryParse(string text, out TimeSpan duration)
    {
        (string Suffix, Func<double, TimeSpan> Make)[] units =
        [
            ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes), ("h", TimeSpan.FromHours),
        ];
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
            {
                duration = make(amount);
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }
}
