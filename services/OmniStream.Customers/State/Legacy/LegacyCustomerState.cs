using System.Collections.Immutable;
using MemoryPack;
using System.Text.Json.Serialization;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State.Legacy;

/// <summary>
/// A customer's state as OmniStream stored it before its working state (formats 1, JSON, and 2,
/// MemoryPack): an immutable record, every member written in this order, computed ones included.
/// Kept to read what was stored then (<see cref="LegacyFormats"/>) and as the reference the fold is
/// held to in tests; never written any more.
/// </summary>
/// <param name="CustomerId">The customer (or, until identified, the anonymous or device id).</param>
/// <param name="LinkedIds">Anonymous and device ids tied to the customer.</param>
/// <param name="LastEventAt">Event time of the newest event folded; the state's clock.</param>
/// <param name="RecentEventIds">Ids of the events within the lateness bound (id → event time), to drop duplicates.</param>
/// <param name="Profile">Profile attributes by name.</param>
/// <param name="Consents">Consent by purpose and channel (key <c>PURPOSE/CHANNEL</c>).</param>
/// <param name="Channels">Activity on each channel.</param>
/// <param name="LatestCart">The cart as last updated (it may since have been ordered or emptied).</param>
/// <param name="Orders">Orders within the order window, by order id.</param>
/// <param name="OlderOrders">Count and value of the orders that left the window.</param>
/// <param name="Tickets">Support tickets by id.</param>
/// <param name="ProductViews">The latest product views, newest first.</param>
/// <param name="LastNps">The latest NPS answer.</param>
/// <param name="LastCes">The latest CES answer.</param>
/// <param name="Interactions">The latest interactions on every channel, newest first (the timeline).</param>
/// <param name="Actions">The latest actions sent to the customer, newest first, with their outcomes.</param>
/// <param name="Pending">Moments of the policies waiting for their time, by key (see <see cref="PendingDecision"/>).</param>
/// <param name="RefusedLinks">Links to this customer that were refused because the id belonged to another.</param>
/// <param name="Segments">The segments the customer is in.</param>
/// <param name="MarketingPausedUntil">No marketing action before this moment (e.g. after a poor NPS answer).</param>
/// <param name="Silent">The latest moments that sent nothing, newest first, with their reasons.</param>
/// <param name="Absorbed">The ids whose gathered state was merged into this customer (see <see cref="Absorbed"/>).</param>
[MemoryPackable]
public sealed partial record LegacyCustomerState(
    string CustomerId,
    ImmutableSortedSet<string> LinkedIds,
    DateTime LastEventAt,
    ImmutableSortedDictionary<Guid, DateTime> RecentEventIds,
    ImmutableSortedDictionary<string, ProfileValue> Profile,
    ImmutableSortedDictionary<string, ConsentRecord> Consents,
    ImmutableSortedDictionary<Channel, ChannelActivity> Channels,
    CartSnapshot? LatestCart,
    ImmutableSortedDictionary<string, OrderRecord> Orders,
    OrderTotals OlderOrders,
    ImmutableSortedDictionary<string, TicketRecord> Tickets,
    ImmutableList<ProductView> ProductViews,
    SurveyScore? LastNps,
    SurveyScore? LastCes,
    ImmutableList<InteractionRecord> Interactions,
    ImmutableList<ActionRecord> Actions,
    ImmutableSortedDictionary<string, PendingDecision>? Pending,
    ImmutableList<RefusedLink> RefusedLinks,
    ImmutableSortedSet<string> Segments,
    DateTime? MarketingPausedUntil = null,
    ImmutableList<SilentDecision>? Silent = null,
    ImmutableSortedSet<string>? Absorbed = null)
{
    /// <summary>The latest moments that sent nothing, newest first (none in a state stored before they were kept).</summary>
    public ImmutableList<SilentDecision> Silent { get; init; } = Silent ?? [];

    /// <summary>Moments of the policies waiting for their time, by key (none in a state stored before they existed).</summary>
    public ImmutableSortedDictionary<string, PendingDecision> Pending { get; init; } = Pending ?? ImmutableSortedDictionary<string, PendingDecision>.Empty;

    /// <summary>A customer of whom nothing is known yet.</summary>
    public static LegacyCustomerState Empty(string customerId) => new(
        customerId, [], DateTime.MinValue, ImmutableSortedDictionary<Guid, DateTime>.Empty,
        ImmutableSortedDictionary<string, ProfileValue>.Empty, ImmutableSortedDictionary<string, ConsentRecord>.Empty,
        ImmutableSortedDictionary<Channel, ChannelActivity>.Empty, null, ImmutableSortedDictionary<string, OrderRecord>.Empty,
        OrderTotals.None, ImmutableSortedDictionary<string, TicketRecord>.Empty, [], null, null, [], [], null, [], []);

    /// <summary>
    /// The open cart: the latest cart if it has lines and no order was placed since its last update
    /// (a cart updated after an order is a new cart, even under the same cart id).
    /// </summary>
    [JsonIgnore]
    public CartSnapshot? Cart =>
        LatestCart is { Lines.Count: > 0 } cart && !(OlderOrders.LastPlacedAt >= cart.UpdatedAt) && !Orders.Values.Any(o => o.PlacedAt >= cart.UpdatedAt)
            ? cart
            : null;

    /// <summary>The channel of the newest interaction; UNKNOWN before any.</summary>
    [JsonIgnore]
    public Channel LastChannel => Channels.Count == 0
        ? Channel.UNKNOWN
        : Channels.MaxBy(c => (c.Value.LastSeenAt, c.Key)).Key;

    /// <summary>The channel the customer uses most (most interactions, then most recent); UNKNOWN before any.</summary>
    [JsonIgnore]
    public Channel PreferredChannel => Channels.Count == 0
        ? Channel.UNKNOWN
        : Channels.MaxBy(c => (c.Value.Interactions, c.Value.LastSeenAt)).Key;

    /// <summary>Support tickets not resolved yet.</summary>
    [JsonIgnore]
    public IEnumerable<TicketRecord> OpenTickets => Tickets.Values.Where(t => t.IsOpen);

    /// <summary>Whether the customer consented to <paramref name="purpose"/> on <paramref name="channel"/>; null when never asked.</summary>
    public bool? ConsentFor(Purpose purpose, Channel channel) =>
        Consents.TryGetValue(ConsentRecord.KeyOf(purpose, channel), out var consent) ? consent.Granted : null;

    /// <summary>When the earliest waiting moment is due; null when none waits.</summary>
    [JsonIgnore]
    public DateTime? NextDue => Pending.Values.Where(p => p.IsWaiting).Select(p => (DateTime?)p.DueAt).Min();

    // MemoryPack writes members in declaration order, this class's own properties included: a member
    // added after the last one keeps the states stored before it readable. (The computed properties
    // above are written too; leaving them out changes the layout, so it waits for the next format.)
    /// <summary>
    /// The anonymous and device ids whose gathered state was merged into this customer (a subset of
    /// <see cref="LinkedIds"/>, which an <see cref="OmniStream.Schemas.Contracts.Identified"/> event fills
    /// before the state arrives), so that a hand-over delivered twice is merged once.
    /// </summary>
    public ImmutableSortedSet<string> Absorbed { get; init; } = Absorbed ?? [];
}
