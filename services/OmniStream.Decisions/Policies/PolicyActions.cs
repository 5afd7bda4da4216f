using System.Globalization;
using OmniStream.Customers.Segments;
using OmniStream.Schemas.Contracts;
using YamlDotNet.RepresentationModel;

namespace OmniStream.Decisions.Policies;

/// <summary>Reads one action of a policy file's catalog.</summary>
internal static class PolicyActions
{
    public static ActionDefinition Read(string name, YamlFields fields, string source)
    {
        fields.OnlyKnown("description", "type", "purpose", "channel", "deliverable", "fallback", "segments", "when", "value",
            "propensity", "expiry", "content", "include", "parameters", "weights", "experiment", "contacts_customer");
        var type = fields.Symbol<ActionType>("type") ?? throw fields.Error("'type' is missing");
        var purpose = fields.Symbol<Purpose>("purpose") ?? throw fields.Error("'purpose' is missing (MARKETING, SERVICE, …)");
        var when = fields.Text("when") ?? "";
        var propensity = fields.Number("propensity") ?? throw fields.Error("'propensity' is missing (the prior probability of conversion)");
        if (propensity is <= 0 or >= 1)
        {
            throw fields.Error(fields.Node("propensity")!, "'propensity' must be between 0 and 1, both excluded");
        }
        var include = fields.List("include");
        if (include.FirstOrDefault(set => !ActionParameters.Sets.Contains(set)) is { } unknown)
        {
            throw fields.Error(fields.Node("include")!, $"'include': unknown set '{unknown}' (known: {string.Join(", ", ActionParameters.Sets)})");
        }
        var content = fields.RequiredText("content");
        return new ActionDefinition(name, type, purpose, Channel(fields), fields.List("segments"),
            PolicyFile.Rule(fields, "when", when, SegmentMetrics.Names), when, Value(fields),
            propensity, fields.Duration("expiry") ?? TimeSpan.FromDays(1), content, include, Parameters(fields),
            Weights(fields), fields.Node("experiment") is { } experiment ? Experiment(YamlFields.Of(experiment, source, $"action '{name}' experiment")) : null,
            fields.Flag("contacts_customer") ?? true);
    }

    private static ChannelRule Channel(YamlFields fields)
    {
        var source = fields.RequiredText("channel");
        if (!ChannelRule.Sources.Contains(source))
        {
            fields.Symbol<Channel>(source, fields.Node("channel")!, $"channel (or one of {string.Join(", ", ChannelRule.Sources)})");
        }
        var deliverable = fields.List("deliverable").Select(c => fields.Symbol<Channel>(c, fields.Node("deliverable")!, "deliverable")).ToList();
        return new ChannelRule(source, deliverable, fields.Symbol<Channel>("fallback"));
    }

    private static ActionValue Value(YamlFields fields)
    {
        var text = fields.Text("value") ?? "1";
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
        {
            return number > 0 ? new ActionValue(number, null) : throw fields.Error(fields.Node("value")!, "'value' must be positive");
        }
        return SegmentMetrics.Exists(text) ? new ActionValue(null, text)
            : throw fields.Error(fields.Node("value")!, $"'value': '{text}' is neither a number nor a metric ({string.Join(", ", SegmentMetrics.Names)})");
    }

    private static Dictionary<string, string> Parameters(YamlFields fields) =>
        fields.Node("parameters") is not { } node ? []
        : YamlFields.Of(node, fields.Source, "parameters").Entries.ToDictionary(
            e => e.Name, e => e.Value is YamlScalarNode { Value: { } v } ? v : throw fields.Error(e.Value, $"parameter '{e.Name}' must be a single value"));

    private static List<ContextWeight> Weights(YamlFields fields)
    {
        if (fields.Node("weights") is not { } node)
        {
            return [];
        }
        var weights = YamlFields.Of(node, fields.Source, "weights");
        return [.. weights.Entries.Select(e =>
        {
            var factor = e.Value is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0
                ? f : throw fields.Error(e.Value, $"weight of '{e.Name}' must be a positive number");
            return new ContextWeight(PolicyFile.Rule(fields, e.Value, $"weight '{e.Name}'", e.Name, SegmentMetrics.Names), e.Name, factor);
        })];
    }

    private static ExperimentDefinition Experiment(YamlFields fields)
    {
        fields.OnlyKnown("id", "control", "variants");
        var control = fields.Whole("control") ?? 0;
        var variants = fields.Node("variants") is { } node
            ? YamlFields.Of(node, fields.Source, "variants").Entries.Select(e => Variant(e.Name, YamlFields.Of(e.Value, fields.Source, $"variant '{e.Name}'"))).ToList()
            : throw fields.Error("'variants' is missing");
        if (variants.Count == 0 || variants.Any(v => v.Name == ExperimentDefinition.Control))
        {
            throw fields.Error(fields.Node("variants")!, $"'variants' must name at least one variant, other than '{ExperimentDefinition.Control}'");
        }
        var total = control + variants.Sum(v => v.Share);
        return total == 100 ? new ExperimentDefinition(fields.RequiredText("id"), control, variants)
            : throw fields.Error($"the control share and the variants' shares add up to {total}, not 100");
    }

    private static ExperimentVariant Variant(string name, YamlFields fields)
    {
        fields.OnlyKnown("share", "content");
        return new ExperimentVariant(name, fields.Whole("share") ?? throw fields.Error("'share' is missing"), fields.Text("content"));
    }
}
