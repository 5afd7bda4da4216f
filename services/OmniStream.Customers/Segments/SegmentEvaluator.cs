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
    /// <summary>The segments of <paramref name="state"/> as of <paramref name="asOf"/>, or of its newest event when that is later (or no time is given).</summary>
    public static ImmutableSortedSet<string> Evaluate(CustomerState state, IReadOnlyList<SegmentDefinition> definitions, TimeSpan orderWindow, DateTime? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(definitions);
        var metric = SegmentMetrics.Of(state, AsOf(state, asOf), orderWindow);
        return [.. definitions.Where(d => d.Conditions.All(c => c.HoldsFor(metric(c.Metric)))).Select(d => d.Name)];
    }

    /// <summary>The time rules are evaluated at: <paramref name="asOf"/>, unless the state's newest event is later.</summary>
    public static DateTime AsOf(CustomerState state, DateTime? asOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        return asOf is { } at && at > state.LastEventAt ? at : state.LastEventAt;
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
