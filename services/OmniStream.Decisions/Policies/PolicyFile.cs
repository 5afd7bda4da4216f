using System.Globalization;
using OmniStream.Customers.Segments;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OmniStream.Decisions.Policies;

/// <summary>
/// Reads a policy file (YAML): <c>moments</c> that trigger decisions, the <c>actions</c> they choose
/// from, <c>contact_rules</c> and <c>learning</c>. The worker's <c>policies.yaml</c> is the
/// commented example; docs/policy-authors.md explains every field. Anything that does not validate is refused
/// with the file, the line and the reason.
/// </summary>
public static class PolicyFile
{
    /// <summary>How a moment names a segment entry as its trigger: <c>segment_entered:at_risk</c>.</summary>
    public const string SegmentEnteredPrefix = "segment_entered:";

    private const string NextDay = "next_day ";
    private const string Scheduled = "scheduled - ";

    /// <summary>The policies in <paramref name="yaml"/>.</summary>
    /// <exception cref="PolicyFileException">The file does not validate; the message names <paramref name="source"/> and the line.</exception>
    public static PolicySet Parse(string yaml, string source)
    {
        var root = YamlFields.Of(Load(yaml, source), source, "policy file");
        root.OnlyKnown("moments", "actions", "contact_rules", "learning");
        var actions = Sections(root, "actions").ToDictionary(a => a.Name, a => PolicyActions.Read(a.Name, a.Body, source));
        var moments = Sections(root, "moments").Select(m => ReadMoment(m.Name, m.Body, source, actions)).ToList();
        var contact = root.Node("contact_rules") is { } rules ? ContactRulesSection.Read(YamlFields.Of(rules, source, "contact_rules")) : ContactRules.None;
        var learning = root.Node("learning") is { } learn ? Learning(YamlFields.Of(learn, source, "learning")) : LearningSettings.Default;
        return new PolicySet(moments, actions, contact, learning);
    }

    /// <summary><paramref name="yaml"/> with the wait of moment <paramref name="moment"/> set to <paramref name="after"/> (demos and tests shorten a cart's idle time).</summary>
    /// <exception cref="PolicyFileException">The file has no such moment.</exception>
    public static string WithDelay(string yaml, string moment, TimeSpan after)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        if (!root.Children.TryGetValue(new YamlScalarNode("moments"), out var momentsNode) || momentsNode is not YamlMappingNode moments
            || !moments.Children.TryGetValue(new YamlScalarNode(moment), out var bodyNode) || bodyNode is not YamlMappingNode body)
        {
            throw new PolicyFileException($"the policy file has no moment '{moment}'");
        }
        body.Children[new YamlScalarNode("after")] = new YamlScalarNode(DurationText.Format(after));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static YamlNode Load(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new PolicyFileException(source, e.Start.Line, e.Message);
        }
        return stream.Documents.Count == 0 ? throw new PolicyFileException(source, 1, "the file is empty") : stream.Documents[0].RootNode;
    }

    private static IEnumerable<(string Name, YamlFields Body)> Sections(YamlFields root, string name) =>
        root.Node(name) is not { } node ? []
        : YamlFields.Of(node, root.Source, name).Entries.Select(e => (e.Name, YamlFields.Of(e.Value, root.Source, $"{name[..^1]} '{e.Name}'")));

    private static Moment ReadMoment(string name, YamlFields fields, string source, IReadOnlyDictionary<string, ActionDefinition> actions)
    {
        fields.OnlyKnown("description", "on", "when", "after", "at", "actions", "pause_marketing", "reason");
        var on = fields.RequiredText("on");
        string? onEvent = null, onSegment = null;
        if (on.StartsWith(SegmentEnteredPrefix, StringComparison.Ordinal))
        {
            onSegment = on[SegmentEnteredPrefix.Length..];
        }
        else if (TriggerFacts.EventNames.Contains(on))
        {
            onEvent = on;
        }
        else
        {
            throw fields.Error(fields.Node("on")!, $"'on': '{on}' is neither an interaction ({string.Join(", ", TriggerFacts.EventNames)}) nor {SegmentEnteredPrefix}<segment>");
        }
        var when = fields.Text("when") ?? "";
        if (onSegment is not null && when.Length > 0)
        {
            throw fields.Error(fields.Node("when")!, "'when' compares the triggering event; a segment entry has none (put conditions on the actions)");
        }
        var conditions = Rule(fields, "when", when, TriggerFacts.MetricNames);
        var at = fields.Text("at") is { } atText ? Time(fields, atText, onEvent) : null;
        var after = fields.Duration("after");
        if (at is not null && after is not null)
        {
            throw fields.Error("use 'after' or 'at', not both");
        }
        var chosen = fields.List("actions");
        if (chosen.Count == 0)
        {
            throw fields.Error("'actions' must name at least one action");
        }
        if (chosen.FirstOrDefault(a => !actions.ContainsKey(a)) is { } missing)
        {
            throw fields.Error(fields.Node("actions")!, $"action '{missing}' is not in the catalog (known: {string.Join(", ", actions.Keys)})");
        }
        return new Moment(name, fields.Text("description") ?? "", fields.Text("reason") ?? name.ToUpperInvariant(), onEvent, onSegment,
            conditions, when, after, at, chosen, fields.Duration("pause_marketing"));
    }

    private static MomentTime Time(YamlFields fields, string text, string? onEvent)
    {
        if (text.StartsWith(NextDay, StringComparison.Ordinal)
            && TimeOnly.TryParseExact(text[NextDay.Length..].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return new MomentTime(time, null, text);
        }
        if (text.StartsWith(Scheduled, StringComparison.Ordinal) && DurationText.Parse(text[Scheduled.Length..]) is { } before)
        {
            return onEvent == "ServiceBooked" ? new MomentTime(null, before, text)
                : throw fields.Error(fields.Node("at")!, "'at: scheduled - …' needs a trigger that books a time (on: ServiceBooked)");
        }
        throw fields.Error(fields.Node("at")!, $"'at': '{text}' is neither 'next_day HH:mm' nor 'scheduled - <duration>'");
    }

    private static LearningSettings Learning(YamlFields fields)
    {
        fields.OnlyKnown("prior_strength", "segments");
        var strength = fields.Number("prior_strength") ?? LearningSettings.Default.PriorStrength;
        return strength > 0 ? new LearningSettings(strength, fields.List("segments"))
            : throw fields.Error(fields.Node("prior_strength")!, "'prior_strength' must be positive");
    }

    /// <summary>The conditions of a rule written in field <paramref name="name"/>, with an error naming the line.</summary>
    internal static IReadOnlyList<SegmentCondition> Rule(YamlFields fields, string name, string rule, IReadOnlyCollection<string> metrics) =>
        rule.Length == 0 ? [] : Rule(fields, fields.Node(name)!, $"'{name}'", rule, metrics);

    /// <summary>The conditions of <paramref name="rule"/>, written at <paramref name="at"/>, with an error naming the line.</summary>
    internal static IReadOnlyList<SegmentCondition> Rule(YamlFields fields, YamlNode at, string label, string rule, IReadOnlyCollection<string> metrics)
    {
        try
        {
            return RuleText.Parse(rule, metrics);
        }
        catch (FormatException e)
        {
            throw fields.Error(at, $"{label}: {e.Message}");
        }
    }
}
