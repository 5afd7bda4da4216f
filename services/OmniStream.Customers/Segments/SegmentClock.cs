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
        var conditions = definitions.SelectMany(d => d.Conditions).ToList();
        var lastOrder = state.Orders.Values.Select(o => (DateTime?)o.PlacedAt).Append(state.OlderOrders.LastPlacedAt).Max();
        var lastSeen = state.LastEventAt == DateTime.MinValue ? (DateTime?)null : state.LastEventAt;
        var candidates = new List<DateTime>();
        foreach (var condition in conditions)
        {
            var since = condition.Metric switch
            {
                "days_since_last_order" => lastOrder,
                "days_since_last_seen" => lastSeen,
                _ => null,
            };
            if (since is { } start)
            {
                // Whole days: the value steps up at each day boundary; only the steps next to the threshold matter.
                var days = (int)Math.Floor(condition.Value);
                candidates.Add(start + days * Day);
                candidates.Add(start + (days + 1) * Day);
            }
            if (condition.Metric is "monetary_window" or "orders_window")
            {
                candidates.AddRange(state.Orders.Values.SelectMany(o => new[] { o.PlacedAt, o.PlacedAt + orderWindow }));
            }
        }
        return candidates.Where(t => t > asOf).Select(t => (DateTime?)t).Min();
    }
}
