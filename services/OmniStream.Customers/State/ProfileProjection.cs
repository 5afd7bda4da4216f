using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>The snapshot of a customer that <c>omni.customer-profiles</c> carries for CRMs and service desks.</summary>
public static class ProfileProjection
{
    /// <summary>The profile of <paramref name="state"/>; the order figures are as of its newest event.</summary>
    public static CustomerProfile Of(CustomerState state, FoldOptions options) => Fill(new CustomerProfile(), state, options);

    /// <summary>
    /// Sets every field of <paramref name="profile"/> to the profile of <paramref name="state"/>, reusing
    /// the lists and records it holds from an earlier customer (a profile is encoded and dropped per
    /// commit: one per thread does for all).
    /// </summary>
    public static CustomerProfile Fill(CustomerProfile profile, CustomerState state, FoldOptions options)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        var orders = state.OrderSummaryAt(state.LastEventAt, options.OrderWindow);
        profile.customerId = state.CustomerId;
        profile.linkedIds = Copy(profile.linkedIds, state.LinkedIds);
        profile.updatedAt = state.LastEventAt;
        profile.lastChannel = state.LastChannel;
        profile.preferredChannel = state.PreferredChannel;
        var attributes = profile.attributes as Dictionary<string, string> ?? [];
        attributes.Clear();
        for (var i = 0; i < state.Profile.Count; i++)
        {
            attributes[state.Profile.Keys[i]] = state.Profile.Values[i].Value;
        }
        profile.attributes = attributes;
        var consents = Emptied(profile.consents);
        foreach (var consent in state.Consents.Values)
        {
            consents.Add(new ConsentSnapshot { purpose = consent.Purpose, channel = consent.Channel, granted = consent.Granted, changedAt = consent.ChangedAt });
        }
        profile.consents = consents;
        profile.cart = state.Cart is { } cart ? Cart(profile.cart ?? new CartSnapshotRecord(), cart) : null;
        profile.lastOrderAt = orders.LastOrderAt;
        profile.ordersLifetime = orders.OrdersLifetime;
        profile.monetaryLifetime = Amount.Of(orders.MonetaryLifetime);
        profile.ordersInWindow = orders.OrdersInWindow;
        profile.monetaryInWindow = Amount.Of(orders.MonetaryInWindow);
        var tickets = Emptied(profile.openTickets);
        var all = state.Tickets.Values;
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].IsOpen)
            {
                tickets.Add(all[i].TicketId);
            }
        }
        profile.openTickets = tickets;
        profile.lastNps = state.LastNps?.Score;
        profile.lastCes = state.LastCes?.Score;
        profile.segments = Copy(profile.segments, state.Segments);
        return profile;
    }

    private static CartSnapshotRecord Cart(CartSnapshotRecord record, CartSnapshot cart)
    {
        record.cartId = cart.CartId;
        var lines = record.lines as List<LineItem> ?? [];
        var spare = t_spareLines ??= [];
        for (var i = lines.Count - 1; i >= cart.Lines.Count; i--)
        {
            spare.Add(lines[i]);
            lines.RemoveAt(i);
        }
        for (var i = 0; i < cart.Lines.Count; i++)
        {
            var line = i < lines.Count ? lines[i] : Added(lines);
            line.productId = cart.Lines[i].ProductId;
            line.quantity = cart.Lines[i].Quantity;
            line.unitPrice = Amount.Of(cart.Lines[i].UnitPrice);
        }
        record.lines = lines;
        record.total = Amount.Of(cart.Total);
        record.currency = cart.Currency;
        record.channel = cart.Channel;
        record.updatedAt = cart.UpdatedAt;
        return record;
    }

    // A line item of a cart projected before on this thread (its record is written into again), or a new one.
    private static LineItem Added(List<LineItem> lines)
    {
        var spare = t_spareLines!;
        LineItem line;
        if (spare.Count > 0)
        {
            line = spare[^1];
            spare.RemoveAt(spare.Count - 1);
        }
        else
        {
            line = new LineItem();
        }
        lines.Add(line);
        return line;
    }

    [ThreadStatic]
    private static List<LineItem>? t_spareLines;

    private static List<string> Copy(IList<string>? list, SortedStrings strings)
    {
        var copy = Emptied(list);
        for (var i = 0; i < strings.Count; i++)
        {
            copy.Add(strings[i]);
        }
        return copy;
    }

    private static List<T> Emptied<T>(IList<T>? list)
    {
        if (list is List<T> reused)
        {
            reused.Clear();
            return reused;
        }
        return [];
    }
}
