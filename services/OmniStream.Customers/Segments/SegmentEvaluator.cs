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
    /// <summary>The segments of <paramref name="state"/> as of its newest event.</summary>
    public static ImmutableSortedSet<string> Evaluate(CustomerState state, IReadOnlyList<SegmentDefinition> definitions, TimeSpan orderWindow)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(definitions);
        var metric = SegmentMetrics.Of(state, state.LastEventAt, orderWindow);
        return [.. definitions.Where(d => d.Conditions.All(c => c.HoldsFor(metric(c.Metric)))).Select(d => d.Name)];
    }

    /// <summary>What changed from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static IReadOnlyList<SegmentTransition> Changes(ImmutableSortedSet<string> before, ImmutableSortedSet<string> after, IReadOnlyList<SegmentDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        string RuleOf(string segment) => definitions.FirstOrDefault(d => d.Name == segment)?.Rule ?? "(segment no longer defined)";
        return [.. after.Except(before).Select(s => new SegmentTransition(s, true, RuleOf(s))),
                .. before.Except(after).Select(s => new SegmentTransition(s, false, RuleOf(s)))];
    }
}
