using System.Collections.Immutable;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// Merges what was gathered under an anonymous or device id into the customer it was tied to:
/// every part is united with the same rules as the fold (latest wins, keyed sets, newest lists),
/// and a cart brought over moves to the channel the customer is on now. A state is merged once:
/// a second copy of it (a hand-over replayed after a crash, on brokers whose readers see the
/// records of aborted transactions) changes nothing, since counters such as each channel's
/// interactions add up.
/// </summary>
public sealed class CustomerMerge(CustomerFold fold)
{
    /// <summary>
    /// The customer <paramref name="into"/> with everything of <paramref name="from"/>;
    /// <paramref name="into"/> itself when it has already absorbed <paramref name="from"/>'s id.
    /// </summary>
    public CustomerState Merge(CustomerState into, CustomerState from)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(from);
        if (into.Absorbed.Contains(from.CustomerId))
        {
            return into;
        }
        var options = fold.Options;
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
            Channels = Union(into.Channels, from.Channels, (a, b) => new ChannelActivity(
                a.FirstSeenAt < b.FirstSeenAt ? a.FirstSeenAt : b.FirstSeenAt, a.LastSeenAt > b.LastSeenAt ? a.LastSeenAt : b.LastSeenAt, a.Interactions + b.Interactions)),
            LatestCart = cart,
            Orders = Union(into.Orders, from.Orders, (a, _) => a),
            OlderOrders = into.OlderOrders.Plus(from.OlderOrders),
            Tickets = Union(into.Tickets, from.Tickets, (a, b) => a.Merge(b)),
            ProductViews = Stamped.Newest(into.ProductViews, from.ProductViews, options.ProductViews),
            LastNps = Stamped.Latest(into.LastNps, from.LastNps),
            LastCes = Stamped.Latest(into.LastCes, from.LastCes),
            Interactions = Stamped.Newest(into.Interactions, from.Interactions, options.TimelineLength),
            Actions = Stamped.Newest(into.Actions, from.Actions, options.Actions),
            Pending = Union(into.Pending, from.Pending, (a, b) => Stamped.Latest(a, b)!),
            MarketingPausedUntil = into.MarketingPausedUntil > from.MarketingPausedUntil || from.MarketingPausedUntil is null ? into.MarketingPausedUntil : from.MarketingPausedUntil,
            Silent = Stamped.Newest(into.Silent, from.Silent, CustomerFold.SilentDecisionsKept),
            RefusedLinks = [.. into.RefusedLinks.Concat(from.RefusedLinks).DistinctBy(l => l.EventId)],
            Segments = into.Segments,
            Absorbed = into.Absorbed.Union(from.Absorbed).Add(from.CustomerId).Remove(into.CustomerId),
        };
        return fold.Prune(merged);
    }

    private static ImmutableSortedDictionary<TKey, TValue> Union<TKey, TValue>(
        ImmutableSortedDictionary<TKey, TValue> a, ImmutableSortedDictionary<TKey, TValue> b, Func<TValue, TValue, TValue> both) where TKey : notnull =>
        b.Aggregate(a, (result, entry) => result.SetItem(entry.Key, result.TryGetValue(entry.Key, out var mine) ? both(mine, entry.Value) : entry.Value));
}
