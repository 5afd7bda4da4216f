using System.Collections.Immutable;
using OmniStream.Customers.State;

namespace OmniStream.Customers.Segments;

/// <summary>A segment a customer entered or left.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Entered">True when entered, false when left.</param>
/// <param name="Rule">The segment's rule.</param>
public readonly record struct SegmentTransition(string Segment, bool Entered, string Rule);

/// <summary>Puts a customer in the segments whose rules their state meets.</summary>
public static class SegmentEvaluator
{
    private const string NoLongerDefined = "(segment no longer defined)";
    private static readonly Comparison<SegmentTransition> EntriesFirstBySegment =
        static (a, b) => a.Entered != b.Entered ? (a.Entered ? -1 : 1) : string.CompareOrdinal(a.Segment, b.Segment);

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
    /// each sorted by name.
    /// </summary>
    public static IReadOnlyList<SegmentTransition> Update(CustomerState state, IReadOnlyList<SegmentDefinition> definitions, in CustomerFigures figures)
    {
        var changes = new List<SegmentTransition>();
        Update(state, definitions, figures, changes);
        return changes;
    }

    /// <summary>
    /// As <see cref="Update(CustomerState, IReadOnlyList{SegmentDefinition}, in CustomerFigures)"/>, what changed put in
    /// <paramref name="changes"/>, emptied first (a caller's list, filled again at each update: nothing is allocated when
    /// nothing changed, nor when something did).
    /// </summary>
    public static void Update(CustomerState state, IReadOnlyList<SegmentDefinition> definitions, in CustomerFigures figures, List<SegmentTransition> changes)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(changes);
        changes.Clear();
        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i];
            var member = figures.All(definition.Conditions);
            if (member != state.Segments.Contains(definition.Name))
            {
                changes.Add(new SegmentTransition(definition.Name, member, definition.Rule));
            }
        }
        for (var i = 0; i < state.Segments.Count; i++)
        {
            if (!IsDefined(definitions, state.Segments[i]))
            {
                changes.Add(new SegmentTransition(state.Segments[i], false, NoLongerDefined));
            }
        }
        if (changes.Count == 0)
        {
            return;
        }
        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i].Entered)
            {
                state.Segments.Add(changes[i].Segment);
            }
            else
            {
                state.Segments.Remove(changes[i].Segment);
            }
        }
        state.ProfileChanged = true;
        changes.Sort(EntriesFirstBySegment);
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
