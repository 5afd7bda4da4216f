using System.CommandLine.Parsing;
using System.Globalization;

namespace OmniStream.Cli.Commands;

/// <summary>Reads a point in time as an ISO 8601 time (2026-12-07T10:00:00Z) or a duration back from now (2h, 1d).</summary>
internal static class TimeOrAgo
{
    public static DateTime? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }
        if (DurationParser.TryParse(text, out var ago))
        {
            return DateTime.UtcNow - ago;
        }
        result.AddError($"'{text}' is neither a time (ISO 8601) nor a duration (2h, 1d)");
        return null;
    }
}
