using System.CommandLine;
using OmniStream.Customers;
using OmniStream.Customers.Segments;
using OmniStream.Decisions.Policies;

namespace OmniStream.Cli.Commands;

/// <summary>
/// <c>omnistream policies validate FILE</c> and <c>omnistream segments validate FILE</c>: the worker's own reading of a
/// definitions file, before it ships (a CI step, an editor's save): exit 0 when the worker would take it, 3 with the
/// file, the line and what is wrong when it would refuse it, 2 when there is no such file.
/// </summary>
internal static class DefinitionsCommand
{
    public static Command Policies()
    {
        var policies = Create("policies", "policies.yaml", yaml =>
        {
            var set = PolicyFile.Parse(yaml.Text, yaml.Source);
            return $"{set.Moments.Count} moment(s), {set.Actions.Count} action(s)";
        });
        policies.Add(PolicyReplayCommand.Create());
        return policies;
    }

    public static Command Segments() =>
        Create("segments", "segments.yaml", yaml => $"{SegmentFile.Parse(yaml.Text, yaml.Source).Count} segment(s)");

    private static Command Create(string kind, string example, Func<(string Text, string Source), string> read)
    {
        var file = new Argument<FileInfo>("file") { Description = $"The {kind} file (e.g. {example})" };
        var json = CliJson.Option("The verdict (file, valid, and the summary or the error)");
        var validate = new Command("validate", $"Check a {kind} file as the worker reads it: exit 0 if it would take it, 3 naming the line if not") { file, json };
        validate.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"{kind} validate: no file {path.FullName}");
                return CliExit.Usage;
            }
            try
            {
                var summary = read((File.ReadAllText(path.FullName), path.Name));
                if (parse.GetValue(json))
                {
                    CliJson.WriteLine(new { file = path.Name, valid = true, summary });
                }
                else
                {
                    Console.WriteLine($"{path.Name}: valid, {summary}");
                }
                return CliExit.Ok;
            }
            catch (DefinitionFileException e)
            {
                if (parse.GetValue(json))
                {
                    CliJson.WriteLine(new { file = path.Name, valid = false, error = e.Message });
                }
                Console.Error.WriteLine(e.Message);
                return CliExit.CheckFailed;
            }
        });
        return new Command(kind, $"The {kind} the worker decides with") { validate };
    }
}
