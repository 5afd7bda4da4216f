namespace OmniStream.Customers.State;

/// <summary>
/// About how many bytes a working state holds on the heap (64-bit runtime: object headers, references,
/// collections' arrays, strings in UTF-16), so that a cache of states keeps to a budget of memory
/// actually held. An estimate, checked against the runtime's own count in tests.
/// </summary>
public static class CustomerFootprint
{
    private const int Object = 24;
    private const int Reference = 8;

    /// <summary>The estimated bytes <paramref name="state"/> holds.</summary>
    public static long Of(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        long bytes = 1200 + Text(state.CustomerId);
        for (var i = 0; i < state.LinkedIds.Count; i++)
        {
            bytes += Reference + Text(state.LinkedIds[i]);
        }
        for (var i = 0; i < state.Profile.Count; i++)
        {
            bytes += 2 * Reference + Text(state.Profile.Keys[i]) + Object + 32 + Text(state.Profile.Values[i].Value);
        }
        bytes += state.Consents.Count * (2 * Reference + Object + 40);
        bytes += state.Channels.Count * (Object + 24);
        if (state.LatestCart is { } cart)
        {
            bytes += Object + 80 + Text(cart.CartId) + Text(cart.Currency) + Text(cart.TraceParent) + Object + cart.Lines.Count * (Reference + Object + 32);
            for (var i = 0; i < cart.Lines.Count; i++)
            {
                bytes += Text(cart.Lines[i].ProductId);
            }
        }
        for (var i = 0; i < state.Orders.Count; i++)
        {
            var order = state.Orders.Values[i];
            bytes += 2 * Reference + Object + 72 + Text(order.OrderId) + Text(order.CartId) + Text(order.Currency) + Text(order.StoreId);
        }
        for (var i = 0; i < state.Tickets.Count; i++)
        {
            var ticket = state.Tickets.Values[i];
            bytes += 2 * Reference + Object + 64 + Text(ticket.TicketId) + Text(ticket.Topic) + Text(ticket.Resolution);
        }
        for (var i = 0; i < state.ProductViews.Count; i++)
        {
            bytes += Reference + Object + 48 + Text(state.ProductViews[i].ProductId) + Text(state.ProductViews[i].Category);
        }
        bytes += state.Timeline.Count * 48;
        for (var i = 0; i < state.Actions.Count; i++)
        {
            var action = state.Actions[i];
            bytes += Reference + Object + 120 + Text(action.ContentRef) + Text(action.Variant) + Text(action.Action) + Text(action.Arm);
        }
        for (var i = 0; i < state.Pending.Count; i++)
        {
            var pending = state.Pending.Values[i];
            bytes += 2 * Reference + Object + 72 + Text(pending.TraceParent) + 96 + pending.Facts.Count * 120;
        }
        bytes += state.RefusedLinks.Count * 120 + state.Silent.Count * 400 + state.Segments.Count * 48 + state.Absorbed.Count * 64
            + state.Journeys.Count * 160 + state.EarlierEventIds.Count * 32;
        foreach (var key in state.SectionKeys)
        {
            bytes += Reference + (key is null ? 0 : Object + key.Length);
        }
        return bytes;
    }

    private static int Text(string? text) => text is null ? 0 : 22 + 2 * text.Length;
}
