using System.CommandLine.Parsing;
using System.Globalization;
using OmniStream.Decisions.Policies;

namespace OmniStream.Cli.Commands;

/// <summary>Reads durations as people write them (as policy files do): 500ms, 30s, 5m, 1h, or hh:mm:ss.</summary>
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
        if (DurationText.Parse(text.ToLowerInvariant()) is { } written)
        {
            duration = written;
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }
}
