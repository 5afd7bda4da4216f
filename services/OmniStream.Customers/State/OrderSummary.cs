namespace OmniStream.Customers.State;

/// <summary>Recency, frequency and monetary value of a customer's orders, over a window and over their lifetime.</summary>
/// <param name="LastOrderAt">The latest order, if any.</param>
/// <param name="DaysSinceLastOrder">Whole days from the latest order to the evaluation time; null without orders.</param>
/// <param name="OrdersInWindow">Orders within the window (e.g. 90 days) before the evaluation time.</param>
/// <param name="MonetaryInWindow">Their value.</param>
/// <param name="OrdersLifetime">Every order ever folded.</param>
/// <param name="MonetaryLifetime">Their value.</param>
public readonly record struct OrderSummary(DateTime? LastOrderAt, int? DaysSinceLastOrder, int OrdersInWindow, decimal MonetaryInWindow, int OrdersLifetime, decimal MonetaryLifetime)
{
    /// <summary>The summary of <paramref name="state"/>'s orders as of <paramref name="now"/>.</summary>
    public static OrderSummary Of(CustomerState state, DateTime now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(state);
        var (inWindow, monetaryInWindow) = (0, 0m);
        var (count, monetary, last) = (state.OlderOrders.Count, state.OlderOrders.Monetary, state.OlderOrders.LastPlacedAt);
        var orders = state.Orders.Values;
        for (var i = 0; i < orders.Count; i++)
        {
            var order = orders[i];
            if (order.PlacedAt > now - window && order.PlacedAt <= now)
            {
                inWindow++;
                monetaryInWindow += order.Total;
            }
            count++;
            monetary += order.Total;
            last = last >= order.PlacedAt ? last : order.PlacedAt;
        }
        return new OrderSummary(last, last is { } l ? (int)Math.Floor((now - l).TotalDays) : null, inWindow, monetaryInWindow, count, monetary);
    }
}
