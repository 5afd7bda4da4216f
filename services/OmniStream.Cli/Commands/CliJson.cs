using System.CommandLine;
using System.Text.Json;

namespace OmniStream.Cli.Commands;

/// <summary>How the reporting commands write JSON (<c>--json</c>): one object per line, camelCase names.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The --json option of a reporting command.</summary>
    public static Option<bool> Option(string what) => new("--json") { Description = $"{what} as JSON, one object per line" };

    /// <summary>Writes <paramref name="value"/> as one line of JSON.</summary>
    public static void WriteLine(object value) => Console.WriteLine(JsonSerializer.Serialize(value, Options));
}
