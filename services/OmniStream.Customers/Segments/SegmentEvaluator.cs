using System.Collections.Immutable;
using OmniStream.Customers.State;

namespace OmniStream.Customers.Segments;

/// <summary>A segment a customer entered or left.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Entered">True when entered, false when left.</param>
/// <param name="Rule">The segment's rule.</param>
public sealed record SegmentTransition(string Segment, bool Entered, string Rule);

/// <summary>Puts a customer in the segments whose rules their state meets.</summary>
public static class SegmentEvaluator
{
    private const string NoLongerDefined = "(segment no longer defined)";
    private static readonly Comparison<SegmentTransition> BySegment = static (a, b) => string.CompareOrdinal(a.Segment, b.Segment);

    /// <summary>The segments of <paramref name="state"/> as of <paramref name="asOf"/>, or of its newest event when that is later (or no time is given).</summary>
    public static ImmutableSortedSet<string> Evaluate(CustomerState state, IReadOnlyList<SegmentDefinition> definitions, TimeSpan orderWindow, DateTime? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(definitions);
        var figures = SegmentMetrics.Of(state, AsOf(state, asOf), orderWindow);
        return [.. definitions.Where(d => figures.All(d.Conditions)).Select(d => d.Name)];
    }

    /// <summary>
    /// Puts <paramref name="state"/> in the segments whose rules <paramref name="figures"/> meet, and
    /// out of the others (and of segments no longer defined); returns what changed, entries then exits,
    /// each sorted by name (none, allocating nothing, when nothing did).
    /// </summary>
    public static IReadOnlyList<SegmentTransition> Update(CustomerState state, IReadOnlyList<SegmentDefinition> definitions, in CustomerFigures figures)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(definitions);
        List<SegmentTransition>? entered = null;
        List<SegmentTransition>? left = null;
        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i];
            var member = figures.All(definition.Conditions);
            if (member != state.Segments.Contains(definition.Name))
            {
                (member ? entered ??= [] : left ??= []).Add(new SegmentTransition(definition.Name, member, definition.Rule));
            }
        }
        if (state.Segments.Count > 0)
        {
            foreach (var segment in state.Segments)
            {
                if (!IsDefined(definitions, segment))
                {
                    (left ??= []).Add(new SegmentTransition(segment, false, NoLongerDefined));
                }
            }
        }
        if (entered is null && left is null)
        {
            return [];
        }
        for (var i = 0; i < (entered?.Count ?? 0); i++)
        {
            state.Segments.Add(entered![i].Segment);
        }
        for (var i = 0; i < (left?.Count ?? 0); i++)
        {
            state.Segments.Remove(left![i].Segment);
        }
        state.ProfileChanged = true;
        entered?.Sort(BySegment);
        left?.Sort(BySegment);
        if (entered is null || left is null)
        {
            return entered ?? left!;
        }
        entered.AddRange(left);
        return entered;
    }

    /// <summary>The time rules are evaluated at: <paramref name="asOf"/>, unless the state's newest event is later.</summary>
    public static DateTime AsOf(CustomerState state, DateTime? asOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        return asOf is { } at && at > state.LastEventAt ? at : state.LastEventAt;
    }

    /// <summary>What changed from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static IReadOnlyList<SegmentTransition> Changes(IReadOnlySet<string> before, IReadOnlySet<string> after, IReadOnlyList<SegmentDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        string RuleOf(string segment) => definitions.FirstOrDefault(d => d.Name == segment)?.Rule ?? NoLongerDefined;
        return [.. after.Where(s => !before.Contains(s)).Order(StringComparer.Ordinal).Select(s => new SegmentTransition(s, true, RuleOf(s))),
                .. before.Where(s => !after.Contains(s)).Order(StringComparer.Ordinal).Select(s => new SegmentTransition(s, false, RuleOf(s)))];
    }

    private static bool IsDefined(IReadOnlyList<SegmentDefinition> definitions, string segment)
    {
        for (var i = 0; i < definitions.Count; i++)
        {
            if (definitions[i].Name == segment)
            {
                return true;
            }
        }
        return false;
    }
}
