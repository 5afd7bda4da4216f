using OmniStream.Customers.State;

namespace OmniStream.Customers.Segments;

/// <summary>The numbers of a customer's state that segment rules, action conditions and weights compare, by name.</summary>
public static class SegmentMetrics
{
    /// <summary>Every metric name, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "cart_value", "channels_used", "days_since_last_order", "days_since_last_seen", "last_ces", "last_nps",
        "monetary_lifetime", "monetary_window", "open_tickets", "orders_lifetime", "orders_window",
    ];

    /// <summary>True when <paramref name="name"/> is a metric.</summary>
    public static bool Exists(string name) => Names.Contains(name);

    /// <summary>The metrics of <paramref name="state"/> at <paramref name="now"/>, computed once for every rule that reads them.</summary>
    public static CustomerFigures Of(CustomerState state, DateTime now, TimeSpan orderWindow)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new CustomerFigures(state.OrderSummaryAt(now, orderWindow),
            state.LastEventAt == DateTime.MinValue ? null : (int)(now - state.LastEventAt).TotalDays,
            state.LastNps?.Score, state.LastCes?.Score, state.OpenTicketCount, state.Cart?.Total ?? 0m, state.Channels.Count);
    }
}

/// <summary>A customer's metrics at one time (<see cref="SegmentMetrics"/>).</summary>
/// <param name="Orders">The order summary at that time.</param>
/// <param name="DaysSinceLastSeen">Whole days since the newest interaction.</param>
/// <param name="LastNps">The latest NPS answer.</param>
/// <param name="LastCes">The latest CES answer.</param>
/// <param name="OpenTickets">Support tickets not resolved yet.</param>
/// <param name="CartValue">The open cart's value (0 without one).</param>
/// <param name="ChannelsUsed">Channels the customer used.</param>
public readonly record struct CustomerFigures(OrderSummary Orders, int? DaysSinceLastSeen, int? LastNps, int? LastCes, int OpenTickets, decimal CartValue, int ChannelsUsed)
{
    /// <summary>The value of <paramref name="metric"/> (null when the customer has none: no order yet, no survey).</summary>
    /// <exception cref="ArgumentException">No such metric.</exception>
    public decimal? Get(string metric) => metric switch
    {
        "monetary_window" => Orders.MonetaryInWindow,
        "orders_window" => Orders.OrdersInWindow,
        "monetary_lifetime" => Orders.MonetaryLifetime,
        "orders_lifetime" => Orders.OrdersLifetime,
        "days_since_last_order" => Orders.DaysSinceLastOrder,
        "days_since_last_seen" => DaysSinceLastSeen,
        "last_nps" => LastNps,
        "last_ces" => LastCes,
        "open_tickets" => OpenTickets,
        "cart_value" => CartValue,
        "channels_used" => ChannelsUsed,
        _ => throw new ArgumentException($"no metric '{metric}' (metrics: {string.Join(", ", SegmentMetrics.Names)})", nameof(metric)),
    };

    /// <summary>Whether every one of <paramref name="conditions"/> holds.</summary>
    public bool All(IReadOnlyList<SegmentCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        for (var i = 0; i < conditions.Count; i++)
        {
            if (!conditions[i].HoldsFor(Get(conditions[i].Metric)))
            {
                return false;
            }
        }
        return true;
    }
}
