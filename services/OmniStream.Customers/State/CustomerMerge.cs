namespace OmniStream.Customers.State;

/// <summary>
/// Merges what was gathered under an anonymous or device id into the customer it was tied to, in
/// place: every part is united with the same rules as the fold (latest wins, keyed sets, newest
/// lists), and a cart brought over moves to the channel the customer is on now. A state is merged
/// once: a second copy of it (a hand-over replayed after a crash, on brokers whose readers see the
/// records of aborted transactions) changes nothing, since counters such as each channel's
/// interactions add up; and an event both states hold is counted once.
/// </summary>
public sealed class CustomerMerge(CustomerFold fold)
{
    /// <summary>
    /// Adds everything of <paramref name="from"/> (its timeline lines held whole) to <paramref name="into"/>;
    /// false, changing nothing, when <paramref name="into"/> has already absorbed <paramref name="from"/>'s id.
    /// </summary>
    public bool Merge(CustomerState into, CustomerState from)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(from);
        if (into.Absorbed.Contains(from.CustomerId))
        {
            return false;
        }
        Span<int> heldAlready = stackalloc int[ChannelActivities.Slots];
        CountHeld(into, from, heldAlready);
        into.MarkAllChanged();
        var options = fold.Options;
        var channelNow = into.LastChannel;
        var cart = Stamped.Latest(into.LatestCart, from.LatestCart);
        if (cart is not null && cart == from.LatestCart && channelNow != Schemas.Contracts.Channel.UNKNOWN)
        {
            cart = cart with { Channel = channelNow };
        }
        into.LatestCart = cart;
        Unite(into.LinkedIds, from.LinkedIds, from.CustomerId, into.CustomerId);
        Unite(into.Absorbed, from.Absorbed, from.CustomerId, into.CustomerId);
        if (from.LastEventAt > into.LastEventAt)
        {
            into.LastEventAt = from.LastEventAt;
        }
        foreach (var (id, at) in from.EarlierEventIds)
        {
            into.EarlierEventIds.TryAdd(id, at);
        }
        Latest(into.Profile, from.Profile);
        Latest(into.Consents, from.Consents);
        Latest(into.Pending, from.Pending);
        foreach (var (channel, theirs) in from.Channels)
        {
            // A copy: the fold counts an activity in place, and the gathered state's must stay as it was.
            into.Channels.Set(channel, into.Channels.Find(channel) is not { } mine ? theirs with { } : new ChannelActivity(
                mine.FirstSeenAt < theirs.FirstSeenAt ? mine.FirstSeenAt : theirs.FirstSeenAt,
                mine.LastSeenAt > theirs.LastSeenAt ? mine.LastSeenAt : theirs.LastSeenAt, mine.Interactions + theirs.Interactions - heldAlready[(int)channel]));
        }
        foreach (var (id, order) in from.Orders)
        {
            into.Orders.TryAdd(id, order);
        }
        into.OlderOrders = into.OlderOrders.Plus(from.OlderOrders);
        foreach (var (id, ticket) in from.Tickets)
        {
            into.Tickets[id] = into.Tickets.TryGetValue(id, out var mine) ? mine.Merge(ticket) : ticket;
        }
        foreach (var view in from.ProductViews)
        {
            Stamped.InsertNewest(into.ProductViews, view, options.ProductViews, out _);
        }
        into.LastNps = Stamped.Latest(into.LastNps, from.LastNps);
        into.LastCes = Stamped.Latest(into.LastCes, from.LastCes);
        foreach (var entry in from.Timeline.Entries)
        {
            into.Timeline.Add(entry.Line ?? throw new InvalidOperationException($"a merged state must hold its timeline lines whole (event {entry.EventId})"));
        }
        foreach (var action in from.Actions)
        {
            into.Actions.Add(action, options.Actions);
        }
        if (from.MarketingPausedUntil > into.MarketingPausedUntil || into.MarketingPausedUntil is null)
        {
            into.MarketingPausedUntil = from.MarketingPausedUntil ?? into.MarketingPausedUntil;
        }
        foreach (var silent in from.Silent)
        {
            Stamped.InsertNewest(into.Silent, silent, CustomerFold.SilentDecisionsKept, out _);
        }
        foreach (var link in from.RefusedLinks)
        {
            if (!into.RefusedLinks.Exists(l => l.EventId == link.EventId))
            {
                into.RefusedLinks.Add(link);
            }
        }
        into.ProfileChanged = true;
        fold.Prune(into);
        return true;
    }

    // Per channel, the events of the gathered state the customer holds already: the identity stage, replaying after a
    // crash with the link known, can route some of a visitor's events to the customer as well as to the visitor's
    // state. Their lines merge by event; their counts must not add twice.
    private static void CountHeld(CustomerState into, CustomerState from, Span<int> held)
    {
        foreach (var entry in from.Timeline.Entries)
        {
            if (entry.Line is { } line && (uint)line.Channel < (uint)held.Length && (into.Timeline.Holds(entry.EventId, DateTime.MinValue) || into.EarlierEventIds.ContainsKey(entry.EventId)))
            {
                held[(int)line.Channel]++;
            }
        }
    }

    private static void Unite(SortedStrings into, SortedStrings from, string fromId, string intoId)
    {
        into.UnionWith(from);
        into.Add(fromId);
        into.Remove(intoId);
    }

    private static void Latest<T>(SortedList<string, T> into, SortedList<string, T> from) where T : class, IStamped
    {
        foreach (var (key, theirs) in from)
        {
            into[key] = into.TryGetValue(key, out var mine) ? Stamped.Latest(mine, theirs)! : theirs;
        }
    }
}
