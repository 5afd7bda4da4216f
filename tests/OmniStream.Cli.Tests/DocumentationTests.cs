using System.Diagnostics;
using System.Text.RegularExpressions;
using OmniStream.Testing;

namespace OmniStream.Cli.Tests;

/// <summary>
/// The README and <c>docs/</c> as a reader follows them: the README stays a first look, every relative link and anchor
/// leads somewhere, and every <c>omnistream</c> command they show exists.
/// </summary>
public partial class DocumentationTests
{
    private static IEnumerable<string> Documents() =>
        new[] { Path.Combine(Repository.Root, "README.md") }.Concat(Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs"), "*.md"));

    [Test]
    public void The_readme_is_a_first_look_of_at_most_250_lines()
    {
        Assert.That(File.ReadAllLines(Path.Combine(Repository.Root, "README.md")), Has.Length.LessThanOrEqualTo(250));
    }

    [Test]
    public void Every_relative_link_and_anchor_in_the_docs_resolves()
    {
        var broken = new List<string>();
        foreach (var document in Documents())
        {
            foreach (Match link in Link().Matches(File.ReadAllText(document)))
            {
                var target = link.Groups[1].Value;
                if (Scheme().IsMatch(target))
                {
                    continue;
                }
                var (path, anchor) = target.Split('#', 2) is [var p, var a] ? (p, a) : (target, null);
                var file = path.Length == 0 ? document : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, path));
                if (!File.Exists(file) && !Directory.Exists(file))
                {
                    broken.Add($"{Relative(document)}: {target} (no such file)");
                }
                else if (!Path.GetFullPath(file).StartsWith(Repository.Root, StringComparison.Ordinal))
                {
                    broken.Add($"{Relative(document)}: {target} (outside the repository)");
                }
                else if (anchor is not null && !Anchors(file).Contains(anchor))
                {
                    broken.Add($"{Relative(document)}: {target} (no such heading in {Relative(file)})");
                }
            }
        }
        Assert.That(broken, Is.Empty);
    }

    [Test]
    public async Task Every_omnistream_command_the_docs_show_exists()
    {
        var commands = Documents().SelectMany(d => Command().Matches(File.ReadAllText(d)).Concat(RunCommand().Matches(File.ReadAllText(d))).Select(m => m.Groups[1].Value.Trim()))
            .Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        var missing = new List<string>();
        foreach (var command in commands)
        {
            var words = command.Split(' ');
            // The second word may be an argument rather than a subcommand: then the first alone has no subcommands to offer.
            if (await HelpExitAsync(words) != 0 && (words.Length == 1 || await HelpExitAsync(words[..1]) != 0))
            {
                missing.Add(command);
            }
        }
        TestContext.Out.WriteLine($"commands shown: {string.Join("; ", commands)}");
        Assert.That(commands, Has.Count.GreaterThanOrEqualTo(10), "commands found in the docs");
        Assert.That(missing, Is.Empty, "commands whose --help does not exit 0");
    }

    private static async Task<int> HelpExitAsync(string[] words)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "omnistream.dll"));
        foreach (var word in words.Append("--help"))
        {
            start.ArgumentList.Add(word);
        }
        using var process = Process.Start(start)!;
        await Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    // GitHub's anchors: the heading in lower case, without punctuation, spaces as hyphens.
    private static HashSet<string> Anchors(string file) =>
        [.. File.ReadAllLines(file).Where(l => Heading().IsMatch(l))
            .Select(l => Punctuation().Replace(l.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-'))];

    private static string Relative(string path) => Path.GetRelativePath(Repository.Root, path);

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^#{1,6} ")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N}\- _]")]
    private static partial Regex Punctuation();

    // "omnistream <command> [<subcommand>]" in code: words of lower-case letters and hyphens after the tool's name.
    [GeneratedRegex(@"(?<![\w/.-])omnistream((?: [a-z][a-z-]*){1,2})")]
    private static partial Regex Command();

    // The same through the project, as the docs' first commands run it: "dotnet run --project services/OmniStream.Cli -- <command>".
    [GeneratedRegex(@"OmniStream\.Cli -- ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)")]
    private static partial Regex RunCommand();
}
