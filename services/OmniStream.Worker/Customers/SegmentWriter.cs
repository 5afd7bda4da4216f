using OmniStream.Channels.Topics;
using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Processing;
using OmniStream.Worker.Definitions;

namespace OmniStream.Worker.Customers;

/// <summary>
/// Re-evaluates a customer's segments on every change, and when time alone may change them, and
/// writes each entry and exit to <c>omni.segment-changes</c>. Rules are evaluated as of now (the
/// wall clock), or of the customer's newest event when that is later.
/// </summary>
public sealed class SegmentWriter(SegmentCatalog catalog, AvroSerde<SegmentChange> changes, FoldOptions options, TimeProvider time)
{
    private static readonly string Topic = TopicCatalog.SegmentChanges.Name;

    /// <summary>When the customer's segments should next be re-evaluated though nothing happens to them; null when time cannot change them.</summary>
    public DateTime? NextChange(CustomerState state) =>
        SegmentClock.NextChange(state, catalog.Current, options.OrderWindow, SegmentEvaluator.AsOf(state, Now));

    /// <summary>The state with its segments as of now, after writing what changed.</summary>
    public async ValueTask<CustomerState> ApplyAsync(IRecordSink sink, byte[] key, CustomerState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(state);
        var definitions = catalog.Current;
        var asOf = SegmentEvaluator.AsOf(state, Now);
        var segments = SegmentEvaluator.Evaluate(state, definitions, options.OrderWindow, asOf);
        if (segments.SetEquals(state.Segments))
        {
            return state;
        }
        foreach (var transition in SegmentEvaluator.Changes(state.Segments, segments, definitions))
        {
            var change = new SegmentChange
            {
                customerId = state.CustomerId,
                segment = transition.Segment,
                entered = transition.Entered,
                at = asOf,
                rule = transition.Rule,
                segments = [.. segments],
            };
            sink.Send(Topic, key, await changes.SerializeAsync(change, Topic, cancellationToken).ConfigureAwait(false));
        }
        return state with { Segments = segments };
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
