using OmniStream.Channels.Topics;
using OmniStream.Customers.Kpis;
using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Worker.Definitions;

namespace OmniStream.Worker.Customers;

/// <summary>
/// Re-evaluates a customer's segments on every change, and when time alone may change them, and
/// writes each entry and exit to <c>omni.segment-changes</c>, counts it in the KPIs and keeps when the customer entered. Rules are evaluated as of now (the
/// wall clock), or of the customer's newest event when that is later.
/// </summary>
public sealed class SegmentWriter(SegmentCatalog catalog, AvroSerde<SegmentChange> changes, FoldOptions options)
{
    private static readonly string Topic = TopicCatalog.SegmentChanges.Name;

    /// <summary>When the customer's segments should next be re-evaluated though nothing happens to them; null when time cannot change them.</summary>
    public DateTime? NextChange(CustomerState state, DateTime now) =>
        catalog.Current.Count == 0 ? null : SegmentClock.NextChange(state, catalog.Current, options.OrderWindow, SegmentEvaluator.AsOf(state, now));

    /// <summary>Puts the customer in the segments whose rules they meet as of <paramref name="now"/>, writing what changed; returns the segments entered.</summary>
    public async ValueTask<SegmentUpdate> UpdateAsync(CustomerTask task, byte[] key, CustomerState state, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(state);
        var definitions = catalog.Current;
        if (definitions.Count == 0 && state.Segments.Count == 0)
        {
            return SegmentUpdate.None;
        }
        var asOf = SegmentEvaluator.AsOf(state, now);
        var transitions = task.SegmentTransitions;
        SegmentEvaluator.Update(state, definitions, SegmentMetrics.Of(state, asOf, options.OrderWindow), transitions);
        if (transitions.Count == 0)
        {
            return SegmentUpdate.None;
        }
        // One change, the task's, encoded as each transition is set into it: every change of one update carries the
        // customer's segments after it, one list for all.
        var change = task.SegmentChange;
        change.customerId = state.CustomerId;
        change.at = asOf;
        change.segments.Clear();
        for (var i = 0; i < state.Segments.Count; i++)
        {
            change.segments.Add(state.Segments[i]);
        }
        List<string>? entered = null;
        for (var i = 0; i < transitions.Count; i++)
        {
            var transition = transitions[i];
            change.segment = transition.Segment;
            change.entered = transition.Entered;
            change.rule = transition.Rule;
            task.Context.Send(Topic, key, await changes.SerializeAsync(change, Topic, cancellationToken).ConfigureAwait(false));
            KpiTracker.SegmentMoved(transition.Segment, transition.Entered, asOf, task.Kpis);
            Since(state, transition, asOf);
            if (transition.Entered)
            {
                (entered ??= new(transitions.Count)).Add(transition.Segment);
            }
        }
        return new SegmentUpdate(true, entered ?? (IReadOnlyCollection<string>)[]);
    }

    // Marked with the change itself: a write that fails after it (the registry out) and is retried finds no transition left.
    private static void Since(CustomerState state, SegmentTransition transition, DateTime at)
    {
        state.MarkChanged(StateSections.SegmentTimes);
        if (transition.Entered)
        {
            state.SegmentsSince[transition.Segment] = at;
        }
        else
        {
            state.SegmentsSince.Remove(transition.Segment);
        }
    }
}

/// <summary>What re-evaluating a customer's segments did.</summary>
/// <param name="Changed">True when the customer entered or left a segment.</param>
/// <param name="Entered">The segments entered.</param>
public readonly record struct SegmentUpdate(bool Changed, IReadOnlyCollection<string> Entered)
{
    /// <summary>Nothing changed.</summary>
    public static SegmentUpdate None { get; } = new(false, []);
}
