using System.Globalization;

namespace OmniStream.Cli.Commands;

/// <summary>Reads <c>stage=count</c>, the threads of one stage.</summary>
internal static class StageThreadsParser
{
    /// <summary>The stage and its thread count, or null when <paramref name="text"/> is not <c>stage=count</c> with a count of 1 to 64.</summary>
    public static KeyValuePair<string, int>? Parse(string text) =>
        text.Split('=', 2) is [{ Length: > 0 } stage, var count]
        && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var threads) && threads is >= 1 and <= 64
            ? KeyValuePair.Create(stage, threads)
            : null;
}
