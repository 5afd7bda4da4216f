using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// The 360° view of a customer, as channels, service desks and the query API read it: the state
/// with what follows from it (preferred channel, open cart, open tickets, order summary as of now).
/// </summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="LinkedIds">Anonymous and device ids tied to the customer.</param>
/// <param name="LastSeenAt">The newest interaction (event time).</param>
/// <param name="LastChannel">The channel of the newest interaction.</param>
/// <param name="PreferredChannel">The channel used most.</param>
/// <param name="Profile">Profile attributes.</param>
/// <param name="Consents">Consent per purpose and channel.</param>
/// <param name="Channels">Activity per channel.</param>
/// <param name="Cart">The open cart, if any.</param>
/// <param name="Orders">Recency, frequency and monetary value.</param>
/// <param name="OpenTickets">Support tickets not resolved yet.</param>
/// <param name="LastNps">The latest NPS answer.</param>
/// <param name="LastCes">The latest CES answer.</param>
/// <param name="ProductViews">The latest product views, newest first.</param>
/// <param name="Segments">The segments the customer is in.</param>
/// <param name="Timeline">The latest interactions on every channel, newest first.</param>
/// <param name="Actions">The latest actions sent, with their outcomes.</param>
/// <param name="RefusedLinks">Links to this customer that were refused.</param>
/// <param name="Waiting">Moments of the policies waiting for their time (a cart reminder, a booking's reminder), earliest first.</param>
/// <param name="MarketingPausedUntil">No marketing before this moment, if set.</param>
/// <param name="NothingSent">The latest moments that sent nothing, newest first, with their reasons.</param>
/// <param name="SegmentsSince">When the customer entered each segment, where known (not for a segment entered before these times were kept).</param>
public sealed record CustomerView(
    string CustomerId,
    IReadOnlyCollection<string> LinkedIds,
    DateTime? LastSeenAt,
    Channel LastChannel,
    Channel PreferredChannel,
    IReadOnlyDictionary<string, string> Profile,
    IReadOnlyList<ConsentRecord> Consents,
    IReadOnlyDictionary<Channel, ChannelActivity> Channels,
    CartSnapshot? Cart,
    OrderSummary Orders,
    IReadOnlyList<TicketRecord> OpenTickets,
    SurveyScore? LastNps,
    SurveyScore? LastCes,
    IReadOnlyList<ProductView> ProductViews,
    IReadOnlyCollection<string> Segments,
    IReadOnlyList<InteractionRecord> Timeline,
    IReadOnlyList<ActionRecord> Actions,
    IReadOnlyList<RefusedLink> RefusedLinks,
    IReadOnlyList<PendingDecision> Waiting,
    DateTime? MarketingPausedUntil,
    IReadOnlyList<SilentDecision> NothingSent,
    IReadOnlyDictionary<string, DateTime> SegmentsSince)
{
    /// <summary>The view of <paramref name="state"/> (read with its timeline lines whole) at <paramref name="now"/>.</summary>
    public static CustomerView Of(CustomerState state, DateTime now, FoldOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        return new CustomerView(
            state.CustomerId, [.. state.LinkedIds], state.LastEventAt == DateTime.MinValue ? null : state.LastEventAt,
            state.LastChannel, state.PreferredChannel,
            state.Profile.ToDictionary(p => p.Key, p => p.Value.Value), [.. state.Consents.Values], state.Channels.ToDictionary(),
            state.Cart, state.OrderSummaryAt(now, options.OrderWindow), [.. state.OpenTickets],
            state.LastNps, state.LastCes, [.. state.ProductViews], [.. state.Segments], [.. state.Timeline.Lines.Take(options.TimelineLength)],
            [.. state.Actions], [.. state.RefusedLinks],
            [.. state.Pending.Values.Where(p => p.IsWaiting).OrderBy(p => p.DueAt)], state.MarketingPausedUntil, [.. state.Silent],
            state.SegmentsSince.Where(s => state.Segments.Contains(s.Key)).ToDictionary(StringComparer.Ordinal));
    }
}
