using System.Collections.Immutable;
using OmniStream.Customers.State;
using OmniStream.Customers.State.Legacy;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Tests.State.Reference;

/// <summary>
/// The fold, merge and pruning as they were before the working state (OmniStream 807b7d2), on the
/// immutable record they built a new copy of at every step: the reference the working state's fold
/// is held to by property tests. Frozen: it changes only if the fold's meaning is meant to change.
/// </summary>
internal sealed class ReferenceFold(FoldOptions options)
{
    public FoldOptions Options => options;

    public (LegacyCustomerState State, FoldVerdict Verdict) Apply(LegacyCustomerState state, InteractionEvent interaction)
    {
        var eventKey = interaction.eventId;
        if (state.RecentEventIds.ContainsKey(eventKey))
        {
            return (state, FoldVerdict.Duplicate);
        }
        if (interaction.occurredAt < Before(state.LastEventAt, options.Lateness))
        {
            return (state, FoldVerdict.TooLate);
        }
        var at = interaction.occurredAt;
        var next = state with
        {
            LastEventAt = at > state.LastEventAt ? at : state.LastEventAt,
            RecentEventIds = state.RecentEventIds.SetItem(eventKey, at),
            Channels = state.Channels.SetItem(interaction.channel, Seen(state.Channels.GetValueOrDefault(interaction.channel), at)),
            Interactions = Newest(state.Interactions, [Timeline.Record(interaction)], options.TimelineLength),
        };
        return (Prune(PayloadApply(next, interaction)), FoldVerdict.Applied);
    }

    public LegacyCustomerState WithAction(LegacyCustomerState state, ActionRecord action) =>
        state with { Actions = Newest(state.Actions, [action], options.Actions) };

    public LegacyCustomerState Merge(LegacyCustomerState into, LegacyCustomerState from)
    {
        if (into.Absorbed.Contains(from.CustomerId))
        {
            return into;
        }
        var cart = Stamped.Latest(into.LatestCart, from.LatestCart);
        if (cart is not null && cart == from.LatestCart && into.LastChannel != Channel.UNKNOWN)
        {
            cart = cart with { Channel = into.LastChannel };
        }
        var merged = into with
        {
            LinkedIds = into.LinkedIds.Union(from.LinkedIds).Add(from.CustomerId).Remove(into.CustomerId),
            LastEventAt = into.LastEventAt > from.LastEventAt ? into.LastEventAt : from.LastEventAt,
            RecentEventIds = Union(into.RecentEventIds, from.RecentEventIds, (a, _) => a),
            Profile = Union(into.Profile, from.Profile, (a, b) => Stamped.Latest(a, b)!),
            Consents = Union(into.Consents, from.Consents, (a, b) => Stamped.Latest(a, b)!),
            Channels = from.Channels.Aggregate(into.Channels, (result, entry) => result.SetItem(entry.Key, result.TryGetValue(entry.Key, out var a)
                ? new ChannelActivity(a.FirstSeenAt < entry.Value.FirstSeenAt ? a.FirstSeenAt : entry.Value.FirstSeenAt,
                    a.LastSeenAt > entry.Value.LastSeenAt ? a.LastSeenAt : entry.Value.LastSeenAt,
                    // An event both hold counts once.
                    a.Interactions + entry.Value.Interactions - from.Interactions.Count(i => i.Channel == entry.Key && (into.RecentEventIds.ContainsKey(i.EventId) || into.Interactions.Any(x => x.EventId == i.EventId))))
                : entry.Value)),
            LatestCart = cart,
            Orders = Union(into.Orders, from.Orders, (a, _) => a),
            OlderOrders = into.OlderOrders.Plus(from.OlderOrders),
            Tickets = Union(into.Tickets, from.Tickets, (a, b) => a.Merge(b)),
            ProductViews = Newest(into.ProductViews, from.ProductViews, options.ProductViews),
            LastNps = Stamped.Latest(into.LastNps, from.LastNps),
            LastCes = Stamped.Latest(into.LastCes, from.LastCes),
            Interactions = Newest(into.Interactions, from.Interactions, options.TimelineLength),
            Actions = Newest(into.Actions, from.Actions, options.Actions),
            Pending = Union(into.Pending, from.Pending, (a, b) => Stamped.Latest(a, b)!),
            MarketingPausedUntil = into.MarketingPausedUntil > from.MarketingPausedUntil || from.MarketingPausedUntil is null ? into.MarketingPausedUntil : from.MarketingPausedUntil,
            Silent = Newest(into.Silent, from.Silent, CustomerFold.SilentDecisionsKept),
            RefusedLinks = [.. into.RefusedLinks.Concat(from.RefusedLinks).DistinctBy(l => l.EventId)],
            Segments = into.Segments,
            Absorbed = into.Absorbed.Union(from.Absorbed).Add(from.CustomerId).Remove(into.CustomerId),
        };
        return Prune(merged);
    }

    public LegacyCustomerState Prune(LegacyCustomerState state)
    {
        var now = state.LastEventAt;
        var lateCutoff = Before(now, options.Lateness);
        var retentionCutoff = Before(now, options.Retention);
        var windowCutoff = Before(now, options.OrderWindow);
        var leaving = state.Orders.Values.Where(o => o.PlacedAt <= windowCutoff).ToList();
        return state with
        {
            RecentEventIds = state.RecentEventIds.RemoveRange(state.RecentEventIds.Where(e => e.Value < lateCutoff).Select(e => e.Key)),
            Orders = state.Orders.RemoveRange(leaving.Select(o => o.OrderId)),
            OlderOrders = leaving.Aggregate(state.OlderOrders, (totals, o) => totals.Plus(o)),
            LatestCart = state.LatestCart is { } cart && cart.UpdatedAt <= windowCutoff ? null : state.LatestCart,
            Tickets = Forget(state.Tickets, retentionCutoff),
            Interactions = state.Interactions.RemoveAll(i => i.At < retentionCutoff),
            ProductViews = state.ProductViews.RemoveAll(v => v.ViewedAt < retentionCutoff),
            RefusedLinks = state.RefusedLinks.RemoveAll(l => l.At < retentionCutoff),
            Pending = state.Pending.RemoveRange(state.Pending.Values.Where(p => !p.IsWaiting && p.TriggeredAt < lateCutoff).Select(p => p.Key)),
        };
    }

    private LegacyCustomerState PayloadApply(LegacyCustomerState state, InteractionEvent e) => e.payload switch
    {
        ProductViewed view => state with
        {
            ProductViews = Newest(state.ProductViews, [new ProductView(view.productId, view.category, e.channel, e.occurredAt, e.eventId)], options.ProductViews),
        },
        CartUpdated cart => state with { LatestCart = Stamped.Latest(state.LatestCart, Cart(cart, e)) },
        OrderPlaced order => Attribute(
            WithOrder(state, new OrderRecord(order.orderId, order.cartId, e.occurredAt, (decimal)order.total, order.currency, e.channel, order.storeId)),
            e.occurredAt, options.AttributionWindow),
        SupportTicketOpened opened => WithTicket(state, new TicketRecord(opened.ticketId, opened.topic, e.channel, e.occurredAt, null, null)),
        SupportTicketResolved resolved => WithTicket(state, new TicketRecord(resolved.ticketId, null, null, null, e.occurredAt, resolved.resolution)),
        SurveyAnswered survey => state with
        {
            LastNps = survey.nps is { } nps ? Stamped.Latest(state.LastNps, new SurveyScore(nps, survey.surveyId, e.channel, e.occurredAt, e.eventId)) : state.LastNps,
            LastCes = survey.ces is { } ces ? Stamped.Latest(state.LastCes, new SurveyScore(ces, survey.surveyId, e.channel, e.occurredAt, e.eventId)) : state.LastCes,
        },
        ConsentChanged consent => state with
        {
            Consents = state.Consents.SetItem(
                ConsentRecord.KeyOf(consent.purpose, consent.consentChannel),
                Stamped.Latest(state.Consents.GetValueOrDefault(ConsentRecord.KeyOf(consent.purpose, consent.consentChannel)),
                    new ConsentRecord(consent.purpose, consent.consentChannel, consent.granted, e.occurredAt, e.eventId))!),
        },
        ProfileUpdated profile => state with
        {
            Profile = profile.attributes.Aggregate(state.Profile, (attributes, a) =>
                attributes.SetItem(a.Key, Stamped.Latest(attributes.GetValueOrDefault(a.Key), new ProfileValue(a.Value, e.occurredAt, e.eventId))!)),
        },
        Identified identified when identified.anonymousId != state.CustomerId => state with { LinkedIds = state.LinkedIds.Add(identified.anonymousId) },
        _ => state,
    };

    private static LegacyCustomerState Attribute(LegacyCustomerState state, DateTime orderedAt, TimeSpan window)
    {
        var index = state.Actions.FindIndex(a => a.Purpose == Purpose.MARKETING && a.DecidedAt <= orderedAt && orderedAt - a.DecidedAt <= window);
        if (index < 0 || state.Actions[index].ConvertedAt is not null)
        {
            return state;
        }
        return state with { Actions = state.Actions.SetItem(index, state.Actions[index] with { ConvertedAt = orderedAt }) };
    }

    private static CartSnapshot Cart(CartUpdated cart, InteractionEvent e) => new(
        cart.cartId, [.. cart.lines.Select(l => new CartLine(l.productId, l.quantity, (decimal)l.unitPrice))],
        (decimal)cart.total, cart.currency, e.channel, e.occurredAt, e.eventId, TraceParent: null);

    private static LegacyCustomerState WithOrder(LegacyCustomerState state, OrderRecord order) =>
        state.Orders.TryGetValue(order.OrderId, out var known) && known.PlacedAt <= order.PlacedAt
            ? state
            : state with { Orders = state.Orders.SetItem(order.OrderId, order) };

    private static LegacyCustomerState WithTicket(LegacyCustomerState state, TicketRecord ticket) => state with
    {
        Tickets = state.Tickets.SetItem(ticket.TicketId, (state.Tickets.TryGetValue(ticket.TicketId, out var known) ? known : new TicketRecord(ticket.TicketId, null, null, null, null, null)).Merge(ticket)),
    };

    private static ImmutableSortedDictionary<string, TicketRecord> Forget(ImmutableSortedDictionary<string, TicketRecord> tickets, DateTime cutoff)
    {
        var result = tickets;
        foreach (var ticket in tickets.Values)
        {
            var kept = ticket.Forget(cutoff);
            result = kept is null ? result.Remove(ticket.TicketId) : kept == ticket ? result : result.SetItem(ticket.TicketId, kept);
        }
        return result;
    }

    private static ImmutableList<T> Newest<T>(IEnumerable<T> a, IEnumerable<T> b, int limit) where T : IStamped =>
        [.. a.Concat(b).DistinctBy(x => x.EventId).OrderByDescending(x => x.At).ThenByDescending(x => x.EventId).Take(limit)];

    private static ImmutableSortedDictionary<TKey, TValue> Union<TKey, TValue>(
        ImmutableSortedDictionary<TKey, TValue> a, ImmutableSortedDictionary<TKey, TValue> b, Func<TValue, TValue, TValue> both) where TKey : notnull =>
        b.Aggregate(a, (result, entry) => result.SetItem(entry.Key, result.TryGetValue(entry.Key, out var mine) ? both(mine, entry.Value) : entry.Value));

    private static DateTime Before(DateTime time, TimeSpan span) => time - DateTime.MinValue < span ? DateTime.MinValue : time - span;

    private static ChannelActivity Seen(ChannelActivity? activity, DateTime at) => activity is null
        ? new ChannelActivity(at, at, 1)
        : new ChannelActivity(at < activity.FirstSeenAt ? at : activity.FirstSeenAt, at > activity.LastSeenAt ? at : activity.LastSeenAt, activity.Interactions + 1);
}
