using OmniStream.Channels.Topics;
using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Processing;
using OmniStream.Worker.Segments;

namespace OmniStream.Worker.Customers;

/// <summary>Re-evaluates a customer's segments on every change and writes each entry and exit to <c>omni.segment-changes</c>.</summary>
public sealed class SegmentWriter(SegmentCatalog catalog, AvroSerde<SegmentChange> changes, FoldOptions options)
{
    private static readonly string Topic = TopicCatalog.SegmentChanges.Name;

    /// <summary>The state with its segments as of now, after writing what changed.</summary>
    public async ValueTask<CustomerState> ApplyAsync(IRecordSink sink, byte[] key, CustomerState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(state);
        var definitions = catalog.Current;
        var segments = SegmentEvaluator.Evaluate(state, definitions, options.OrderWindow);
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
                at = state.LastEventAt,
                rule = transition.Rule,
                segments = [.. segments],
            };
            sink.Send(Topic, key, await changes.SerializeAsync(change, Topic, cancellationToken).ConfigureAwait(false));
        }
        return state with { Segments = segments };
    }
}
