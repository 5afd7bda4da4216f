using System.Collections.Immutable;
using MemoryPack;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>One profile attribute, as last set.</summary>
/// <param name="Value">Its value.</param>
/// <param name="UpdatedAt">When it was set (event time).</param>
/// <param name="EventId">The event that set it.</param>
[MemoryPackable]
public sealed partial record ProfileValue(string Value, DateTime UpdatedAt, Guid EventId) : IStamped
{
    DateTime IStamped.At => UpdatedAt;
}

/// <summary>Consent for one purpose on one channel, as last given or withdrawn.</summary>
/// <param name="Purpose">The purpose of processing.</param>
/// <param name="Channel">The channel it applies to.</param>
/// <param name="Granted">True when granted.</param>
/// <param name="ChangedAt">When it was given or withdrawn (event time).</param>
/// <param name="EventId">The event that changed it.</param>
[MemoryPackable]
public sealed partial record ConsentRecord(Purpose Purpose, Channel Channel, bool Granted, DateTime ChangedAt, Guid EventId) : IStamped
{
    private static readonly string[][] Keys =
        [.. Enum.GetValues<Purpose>().Select(p => Enum.GetValues<Channel>().Select(c => $"{p}/{c}").ToArray())];

    /// <summary>The key of a consent in <see cref="CustomerState.Consents"/>.</summary>
    public static string KeyOf(Purpose purpose, Channel channel) =>
        (int)purpose < Keys.Length && (int)channel < Keys[(int)purpose].Length ? Keys[(int)purpose][(int)channel] : $"{purpose}/{channel}";

    DateTime IStamped.At => ChangedAt;
}

/// <summary>
/// A customer's activity on one channel. The working state counts each interaction in place (one per
/// event, every event: a new record each time was the fold's most frequent allocation, and one that
/// outlived its event).
/// </summary>
/// <param name="FirstSeenAt">The first interaction on it.</param>
/// <param name="LastSeenAt">The latest interaction on it.</param>
/// <param name="Interactions">How many interactions.</param>
[MemoryPackable]
public sealed partial record ChannelActivity(DateTime FirstSeenAt, DateTime LastSeenAt, int Interactions)
{
    /// <summary>The first interaction on it.</summary>
    public DateTime FirstSeenAt { get; private set; } = FirstSeenAt;

    /// <summary>The latest interaction on it.</summary>
    public DateTime LastSeenAt { get; private set; } = LastSeenAt;

    /// <summary>How many interactions.</summary>
    public int Interactions { get; private set; } = Interactions;

    /// <summary>Counts an interaction at <paramref name="at"/>, in place.</summary>
    internal void Seen(DateTime at)
    {
        FirstSeenAt = at < FirstSeenAt ? at : FirstSeenAt;
        LastSeenAt = at > LastSeenAt ? at : LastSeenAt;
        Interactions++;
    }
}

/// <summary>One line of a cart.</summary>
/// <param name="ProductId">The product's catalog id.</param>
/// <param name="Quantity">How many units.</param>
/// <param name="UnitPrice">Price of one unit.</param>
[MemoryPackable]
public sealed partial record CartLine(string ProductId, int Quantity, decimal UnitPrice);

/// <summary>A cart as of one update.</summary>
/// <param name="CartId">The cart's id.</param>
/// <param name="Lines">Its lines after the update (empty when emptied).</param>
/// <param name="Total">Its value.</param>
/// <param name="Currency">ISO 4217 code of <paramref name="Total"/>.</param>
/// <param name="Channel">The channel the customer is on for this cart: the channel of the update, or where the customer identified since.</param>
/// <param name="UpdatedAt">When it was updated (event time).</param>
/// <param name="UpdateEventId">The event of the update.</param>
/// <param name="TraceParent">Null: a reminder continues the trace of its pending moment (<see cref="PendingDecision.TraceParent"/>), so the cart no longer keeps one (carts stored before may hold one; the member keeps the stored layout).</param>
[MemoryPackable]
public sealed partial record CartSnapshot(
    string CartId, IReadOnlyList<CartLine> Lines, decimal Total, string Currency, Channel Channel,
    DateTime UpdatedAt, Guid UpdateEventId, string? TraceParent) : IStamped
{
    DateTime IStamped.At => UpdatedAt;

    Guid IStamped.EventId => UpdateEventId;
}

/// <summary>An order placed online or in a store.</summary>
/// <param name="OrderId">The order's id.</param>
/// <param name="CartId">The cart it came from, if any.</param>
/// <param name="PlacedAt">When it was placed (event time).</param>
/// <param name="Total">Total paid.</param>
/// <param name="Currency">ISO 4217 code of <paramref name="Total"/>.</param>
/// <param name="Channel">Where it was placed.</param>
/// <param name="StoreId">The store, when placed in one.</param>
[MemoryPackable]
public sealed partial record OrderRecord(string OrderId, string? CartId, DateTime PlacedAt, decimal Total, string Currency, Channel Channel, string? StoreId);

/// <summary>A count and value of orders.</summary>
/// <param name="Count">How many.</param>
/// <param name="Monetary">Their total value.</param>
/// <param name="LastPlacedAt">When the latest of them was placed.</param>
[MemoryPackable]
public sealed partial record OrderTotals(int Count, decimal Monetary, [property: ZeroPadded<DateTime>] DateTime? LastPlacedAt)
{
    /// <summary>No order.</summary>
    public static OrderTotals None { get; } = new(0, 0m, null);

    /// <summary>These totals plus one order.</summary>
    public OrderTotals Plus(OrderRecord order) => Plus(new OrderTotals(1, order.Total, order.PlacedAt));

    /// <summary>The sum of two totals.</summary>
    public OrderTotals Plus(OrderTotals other) =>
        new(Count + other.Count, Monetary + other.Monetary, LastPlacedAt > other.LastPlacedAt || other.LastPlacedAt is null ? LastPlacedAt : other.LastPlacedAt);
}

/// <summary>A support ticket: its latest opening and latest resolution (the events may arrive in any order; a ticket may be reopened).</summary>
/// <param name="TicketId">The ticket's id.</param>
/// <param name="Topic">What it is about, once an opening is known.</param>
/// <param name="Channel">Where it was (last) opened, once known.</param>
/// <param name="OpenedAt">When it was last opened, once known.</param>
/// <param name="ResolvedAt">When it was resolved, if after its latest opening; null while open.</param>
/// <param name="Resolution">How it was last resolved, when recorded.</param>
[MemoryPackable]
public sealed partial record TicketRecord(
    string TicketId, string? Topic, [property: ZeroPadded<Channel>] Channel? Channel, [property: ZeroPadded<DateTime>] DateTime? OpenedAt,
    [property: ZeroPadded<DateTime>] DateTime? ResolvedAt, string? Resolution)
{
    /// <summary>True unless resolved (after its latest opening).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsOpen => ResolvedAt is null;

    /// <summary>What both records know: the later opening and the later resolution.</summary>
    public TicketRecord Merge(TicketRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var opening = Later(this, other, t => t.OpenedAt, t => t.Topic);
        var resolution = Later(this, other, t => t.ResolvedAt, t => t.Resolution);
        // A resolution older than the latest opening belonged to an earlier round of the ticket: it is dropped,
        // so the record does not depend on whether that round was already pruned.
        return resolution.ResolvedAt < opening.OpenedAt
            ? new(TicketId, opening.Topic, opening.Channel, opening.OpenedAt, null, null)
            : new(TicketId, opening.Topic, opening.Channel, opening.OpenedAt, resolution.ResolvedAt, resolution.Resolution);
    }

    /// <summary>The record without what happened before <paramref name="cutoff"/>; null when nothing is left.</summary>
    public TicketRecord? Forget(DateTime cutoff)
    {
        var opening = OpenedAt < cutoff ? (Topic: (string?)null, Channel: (Channel?)null, OpenedAt: (DateTime?)null) : (Topic, Channel, OpenedAt);
        var resolution = ResolvedAt < cutoff ? (ResolvedAt: (DateTime?)null, Resolution: (string?)null) : (ResolvedAt, Resolution);
        return opening.OpenedAt is null && resolution.ResolvedAt is null
            ? null
            : new TicketRecord(TicketId, opening.Topic, opening.Channel, opening.OpenedAt, resolution.ResolvedAt, resolution.Resolution);
    }

    // Of two at the same time, the greater detail, then the greater channel: the same whichever arrived first.
    private static TicketRecord Later(TicketRecord a, TicketRecord b, Func<TicketRecord, DateTime?> at, Func<TicketRecord, string?> detail)
    {
        if (at(a) != at(b))
        {
            return at(a) > at(b) || at(b) is null ? a : b;
        }
        var byDetail = string.CompareOrdinal(detail(a), detail(b));
        return byDetail != 0 ? (byDetail > 0 ? a : b) : (a.Channel ?? default) >= (b.Channel ?? default) ? a : b;
    }
}

/// <summary>A product the customer looked at.</summary>
/// <param name="ProductId">The product's catalog id.</param>
/// <param name="Category">Its category, when known.</param>
/// <param name="Channel">Where it was viewed.</param>
/// <param name="ViewedAt">When (event time).</param>
/// <param name="EventId">The event.</param>
[MemoryPackable]
public sealed partial record ProductView(string ProductId, string? Category, Channel Channel, DateTime ViewedAt, Guid EventId) : IStamped
{
    DateTime IStamped.At => ViewedAt;
}

/// <summary>A survey answer.</summary>
/// <param name="Score">The score (NPS 0–10, CES 1–7).</param>
/// <param name="SurveyId">The survey.</param>
/// <param name="Channel">Where it was answered.</param>
/// <param name="At">When (event time).</param>
/// <param name="EventId">The event.</param>
[MemoryPackable]
public sealed partial record SurveyScore(int Score, string SurveyId, Channel Channel, DateTime At, Guid EventId) : IStamped;

/// <summary>One line of the cross-channel timeline.</summary>
/// <param name="EventId">The event.</param>
/// <param name="At">When it happened (event time).</param>
/// <param name="Channel">Where.</param>
/// <param name="Type">What kind of interaction (the payload's name).</param>
/// <param name="Summary">A short description for people reading the timeline.</param>
[MemoryPackable]
public sealed partial record InteractionRecord(Guid EventId, DateTime At, Channel Channel, string Type, string Summary) : IStamped;

/// <summary>An action sent to the customer, and what became of it.</summary>
/// <param name="ActionId">The action.</param>
/// <param name="Type">Its kind.</param>
/// <param name="Channel">The channel it went to.</param>
/// <param name="DecidedAt">When it was decided.</param>
/// <param name="ContentRef">The content or offer it refers to.</param>
/// <param name="Outcome">The latest outcome reported, if any.</param>
/// <param name="OutcomeAt">When that outcome happened.</param>
/// <param name="Variant">The experiment variant it was sent under, if any.</param>
/// <param name="ConvertedAt">When it first converted (reported converted, or an order placed within the attribution window), if it did.</param>
/// <param name="Action">The policy action it was, by name.</param>
/// <param name="Purpose">The purpose it served (contact rules count marketing actions).</param>
/// <param name="Arm">What learning counts it under (action and segment).</param>
/// <param name="Withheld">True when chosen but not sent, because the customer is in the experiment's control group.</param>
/// <remarks>
/// The texts that name what the policies define (content, variant, action, arm) are read back interned: a few dozen
/// strings shared by every action held, as the engine's own are, rather than four copies per action in the cache.
/// </remarks>
[MemoryPackable]
public sealed partial record ActionRecord(
    Guid ActionId, ActionType Type, Channel Channel, DateTime DecidedAt, [property: InternStringFormatter] string ContentRef,
    [property: ZeroPadded<Outcome>] Outcome? Outcome, [property: ZeroPadded<DateTime>] DateTime? OutcomeAt,
    [property: InternStringFormatter] string? Variant = null, [property: ZeroPadded<DateTime>] DateTime? ConvertedAt = null,
    [property: InternStringFormatter] string? Action = null, [property: ZeroPadded<Purpose>] Purpose? Purpose = null,
    [property: InternStringFormatter] string? Arm = null, bool Withheld = false) : IStamped
{
    /// <summary>This action with the texts the policies name interned, as reading its stored form gives (a legacy format's reader does not).</summary>
    public ActionRecord Interned() =>
        this with { ContentRef = Intern(ContentRef)!, Variant = Intern(Variant), Action = Intern(Action), Arm = Intern(Arm) };

    private static string? Intern(string? text) => text is null ? null : string.Intern(text);

    DateTime IStamped.At => DecidedAt;

    Guid IStamped.EventId => ActionId;
}

/// <summary>A moment of the policies that sent the customer nothing, and why (so that they or an auditor can be told).</summary>
/// <param name="DecisionId">The decision (the id its action would have had).</param>
/// <param name="Moment">The moment, by name.</param>
/// <param name="DecidedAt">When it was decided.</param>
/// <param name="Reasons">Why no action went, one line per action considered (or why none was).</param>
[MemoryPackable]
public sealed partial record SilentDecision(Guid DecisionId, string Moment, DateTime DecidedAt, ImmutableList<string> Reasons) : IStamped
{
    DateTime IStamped.At => DecidedAt;

    Guid IStamped.EventId => DecisionId;
}

/// <summary>A link to this customer that was refused, because the id belongs to another customer.</summary>
/// <param name="Id">The id.</param>
/// <param name="OwnerId">The customer it belongs to.</param>
/// <param name="EventId">The refused event.</param>
/// <param name="At">When (event time).</param>
[MemoryPackable]
public sealed partial record RefusedLink(string Id, string OwnerId, Guid EventId, DateTime At) : IStamped;
