using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace OmniStream.Decisions.Policies;

/// <summary>The fields of one YAML mapping of a policy file, read with errors that name the file, the line and the entry.</summary>
internal sealed class YamlFields(YamlMappingNode node, string source, string context)
{
    public static YamlFields Of(YamlNode node, string source, string context) => node is YamlMappingNode mapping
        ? new YamlFields(mapping, source, context)
        : throw new PolicyFileException(source, node.Start.Line, $"{context} must be a mapping of fields");

    public long Line => node.Start.Line;

    public string Source => source;

    public IEnumerable<(string Name, YamlNode Value)> Entries =>
        node.Children.Select(c => (((YamlScalarNode)c.Key).Value ?? "", c.Value));

    public void OnlyKnown(params string[] names)
    {
        if (node.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => !names.Contains(k.Value)) is { } unknown)
        {
            throw Error(unknown, $"unknown field '{unknown.Value}' (known: {string.Join(", ", names)})");
        }
    }

    public YamlNode? Node(string name) => node.Children.TryGetValue(new YamlScalarNode(name), out var value) ? value : null;

    public string? Text(string name) => Node(name) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value,
        var other => throw Error(other, $"'{name}' must be a single value"),
    };

    public string RequiredText(string name) => Text(name) is { Length: > 0 } text ? text : throw Error(node, $"'{name}' is missing");

    public IReadOnlyList<string> List(string name) => Node(name) switch
    {
        null => [],
        YamlScalarNode { Value: { Length: > 0 } one } => [one],
        YamlSequenceNode sequence => [.. sequence.Children.Select(c => c is YamlScalarNode { Value: { } v } ? v : throw Error(c, $"'{name}' must list single values"))],
        var other => throw Error(other, $"'{name}' must be a list"),
    };

    public TimeSpan? Duration(string name) => Text(name) is not { } text ? null
        : DurationText.Parse(text) ?? throw Error(Node(name)!, $"'{name}': '{text}' is not a duration (e.g. 90s, 30m, 24h, 7d)");

    public double? Number(string name) => Text(name) is not { } text ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw Error(Node(name)!, $"'{name}': '{text}' is not a number");

    public int? Whole(string name) => Text(name) is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw Error(Node(name)!, $"'{name}': '{text}' is not a whole number");

    public bool? Flag(string name) => Text(name) is not { } text ? null
        : bool.TryParse(text, out var value) ? value
        : throw Error(Node(name)!, $"'{name}': '{text}' is not true or false");

    public T? Symbol<T>(string name) where T : struct, Enum => Text(name) is not { } text ? null : Symbol<T>(text, Node(name)!, name);

    public T Symbol<T>(string text, YamlNode at, string name) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: false, out var value) && Enum.IsDefined(value) ? value
        : throw Error(at, $"'{name}': '{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}");

    public PolicyFileException Error(YamlNode at, string problem) => new(source, at.Start.Line, $"{context}: {problem}");

    public PolicyFileException Error(string problem) => Error(node, problem);
}
