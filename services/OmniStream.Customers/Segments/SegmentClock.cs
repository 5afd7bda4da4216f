using OmniStream.Customers.State;

namespace OmniStream.Customers.Segments;

/// <summary>
/// When the passing of time alone may move a customer in or out of a segment: a "days since"
/// metric reaching a rule's threshold, an order leaving (or entering) the order window. A customer
/// who goes silent is re-evaluated then, not at their next event.
/// </summary>
public static class SegmentClock
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>The first moment after <paramref name="asOf"/> when a rule of <paramref name="definitions"/> may change its verdict on <paramref name="state"/> with no new event; null when none can.</summary>
    public static DateTime? NextChange(CustomerState state, IReadOnlyList<SegmentDefinition> definitions, TimeSpan orderWindow, DateTime asOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(definitions);
        DateTime? next = null;
        void Consider(DateTime candidate)
        {
            if (candidate > asOf && !(next <= candidate))
            {
                next = candidate;
            }
        }
        for (var d = 0; d < definitions.Count; d++)
        {
            var conditions = definitions[d].Conditions;
            for (var c = 0; c < conditions.Count; c++)
            {
                var condition = conditions[c];
                var since = condition.Metric switch
                {
                    "days_since_last_order" => LastOrder(state),
                    "days_since_last_seen" => state.LastEventAt == DateTime.MinValue ? null : state.LastEventAt,
                    _ => null,
                };
                if (since is { } start)
                {
                    // Whole days: the value steps up at each day boundary; only the steps next to the threshold matter.
                    var days = (int)Math.Floor(condition.Value);
                    Consider(start + days * Day);
                    Consider(start + (days + 1) * Day);
                }
                if (condition.Metric is "monetary_window" or "orders_window")
                {
                    var orders = state.Orders.Values;
                    for (var o = 0; o < orders.Count; o++)
                    {
                        Consider(orders[o].PlacedAt);
                        Consider(orders[o].PlacedAt + orderWindow);
                    }
                }
            }
        }
        return next;
    }

    private static DateTime? LastOrder(CustomerState state)
    {
        var last = state.OlderOrders.LastPlacedAt;
        var orders = state.Orders.Values;
        for (var i = 0; i < orders.Count; i++)
        {
            last = last >= orders[i].PlacedAt ? last : orders[i].PlacedAt;
        }
        return last;
    }
}
