namespace OmniStream.Customers.State;

/// <summary>Recency, frequency and monetary value of a customer's orders, over a window and over their lifetime.</summary>
/// <param name="LastOrderAt">The latest order, if any.</param>
/// <param name="DaysSinceLastOrder">Whole days from the latest order to the evaluation time; null without orders.</param>
/// <param name="OrdersInWindow">Orders within the window (e.g. 90 days) before the evaluation time.</param>
/// <param name="MonetaryInWindow">Their value.</param>
/// <param name="OrdersLifetime">Every order ever folded.</param>
/// <param name="MonetaryLifetime">Their value.</param>
public sealed record OrderSummary(DateTime? LastOrderAt, int? DaysSinceLastOrder, int OrdersInWindow, decimal MonetaryInWindow, int OrdersLifetime, decimal MonetaryLifetime)
{
    /// <summary>The summary of <paramref name="state"/>'s orders as of <paramref name="now"/>.</summary>
    public static OrderSummary Of(CustomerState state, DateTime now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(state);
        var orders = state.Orders.Values;
        var inWindow = orders.Where(o => o.PlacedAt > now - window && o.PlacedAt <= now).ToList();
        var lifetime = orders.Aggregate(state.OlderOrders, (totals, o) => totals.Plus(o));
        var last = lifetime.LastPlacedAt;
        return new OrderSummary(
            last, last is { } l ? (int)Math.Floor((now - l).TotalDays) : null,
            inWindow.Count, inWindow.Sum(o => o.Total), lifetime.Count, lifetime.Monetary);
    }
}
