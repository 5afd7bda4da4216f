using OmniStream.Customers.State;

namespace OmniStream.Customers.Segments;

/// <summary>The numbers of a customer's state that segment rules compare, by name.</summary>
public static class SegmentMetrics
{
    private static readonly Dictionary<string, Func<CustomerState, OrderSummary, DateTime, decimal?>> Metrics = new()
    {
        ["monetary_window"] = (_, orders, _) => orders.MonetaryInWindow,
        ["orders_window"] = (_, orders, _) => orders.OrdersInWindow,
        ["monetary_lifetime"] = (_, orders, _) => orders.MonetaryLifetime,
        ["orders_lifetime"] = (_, orders, _) => orders.OrdersLifetime,
        ["days_since_last_order"] = (_, orders, _) => orders.DaysSinceLastOrder,
        ["days_since_last_seen"] = (state, _, now) => state.LastEventAt == DateTime.MinValue ? null : (int)(now - state.LastEventAt).TotalDays,
        ["last_nps"] = (state, _, _) => state.LastNps?.Score,
        ["last_ces"] = (state, _, _) => state.LastCes?.Score,
        ["open_tickets"] = (state, _, _) => state.OpenTickets.Count(),
        ["cart_value"] = (state, _, _) => state.Cart?.Total ?? 0m,
        ["channels_used"] = (state, _, _) => state.Channels.Count,
    };

    /// <summary>Every metric name, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Metrics.Keys.Order(StringComparer.Ordinal)];

    /// <summary>True when <paramref name="name"/> is a metric.</summary>
    public static bool Exists(string name) => Metrics.ContainsKey(name);

    /// <summary>The metrics of <paramref name="state"/> at <paramref name="now"/>, computed on demand.</summary>
    public static Func<string, decimal?> Of(CustomerState state, DateTime now, TimeSpan orderWindow)
    {
        var orders = state.OrderSummaryAt(now, orderWindow);
        return name => Metrics[name](state, orders, now);
    }
}
