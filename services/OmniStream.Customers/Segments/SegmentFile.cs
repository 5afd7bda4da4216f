using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OmniStream.Customers.Segments;

/// <summary>
/// Reads segment definitions from YAML:
/// <code>
/// segments:
///   vip:
///     description: spent more than 500 over the order window
///     when: monetary_window &gt; 500
///   at_risk:
///     when: days_since_last_order &gt; 60 and orders_lifetime &gt;= 3
/// </code>
/// A rule is one or more comparisons of a metric (<see cref="SegmentMetrics.Names"/>) with a number, joined by <c>and</c>.
/// </summary>
public static class SegmentFile
{
    /// <summary>The definitions in <paramref name="yaml"/>.</summary>
    /// <exception cref="SegmentFileException">The file does not validate; the message names <paramref name="source"/> and the line.</exception>
    public static IReadOnlyList<SegmentDefinition> Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new SegmentFileException(source, e.Start.Line, e.Message);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("segments"), out var segmentsNode))
        {
            throw new SegmentFileException(source, 1, "expected a mapping with a 'segments' key");
        }
        if (segmentsNode is not YamlMappingNode segments)
        {
            throw new SegmentFileException(source, segmentsNode.Start.Line, "'segments' must map each segment's name to its 'when' rule");
        }
        return [.. segments.Children.Select(entry => Definition(entry.Key, entry.Value, source))];
    }

    private static SegmentDefinition Definition(YamlNode nameNode, YamlNode body, string source)
    {
        var name = ((YamlScalarNode)nameNode).Value ?? "";
        if (body is not YamlMappingNode fields)
        {
            throw new SegmentFileException(source, body.Start.Line, $"segment '{name}' must have a 'when' rule");
        }
        if (fields.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value is not ("when" or "description")) is { } unknown)
        {
            throw new SegmentFileException(source, unknown.Start.Line, $"segment '{name}': unknown field '{unknown.Value}' (use 'when' and 'description')");
        }
        if (!fields.Children.TryGetValue(new YamlScalarNode("when"), out var whenNode) || whenNode is not YamlScalarNode { Value: { Length: > 0 } rule })
        {
            throw new SegmentFileException(source, body.Start.Line, $"segment '{name}' has no 'when' rule");
        }
        var description = fields.Children.TryGetValue(new YamlScalarNode("description"), out var d) ? ((YamlScalarNode)d).Value ?? "" : "";
        return new SegmentDefinition(name, description, Conditions(rule, whenNode.Start.Line, name, source), rule);
    }

    private static IReadOnlyList<SegmentCondition> Conditions(string rule, long line, string segment, string source)
    {
        try
        {
            return RuleText.Parse(rule, SegmentMetrics.Names);
        }
        catch (FormatException e)
        {
            throw new SegmentFileException(source, line, $"segment '{segment}': {e.Message}");
        }
    }
}
