using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// Last-touch attribution of orders to marketing actions: an order converts the latest marketing
/// action decided before it within the window, sent or withheld (so that an experiment's control
/// group converts the same way as its variants), unless that action already converted.
/// </summary>
public static class ActionAttribution
{
    /// <summary>The actions that converted between <paramref name="before"/> and <paramref name="after"/> (by an outcome or an order), each once.</summary>
    public static IEnumerable<ActionRecord> NewlyConverted(CustomerState before, CustomerState after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (ReferenceEquals(before.Actions, after.Actions))
        {
            return [];
        }
        var open = before.Actions.Where(a => a.ConvertedAt is null).Select(a => a.ActionId).ToHashSet();
        return after.Actions.Where(a => a.ConvertedAt is not null && open.Contains(a.ActionId));
    }

    /// <summary>The state with the order placed at <paramref name="orderedAt"/> attributed to the latest marketing action within <paramref name="window"/> before it.</summary>
    internal static CustomerState Attribute(CustomerState state, DateTime orderedAt, TimeSpan window)
    {
        var index = state.Actions.FindIndex(a => a.Purpose == Purpose.MARKETING && a.DecidedAt <= orderedAt && orderedAt - a.DecidedAt <= window);
        if (index < 0 || state.Actions[index].ConvertedAt is not null)
        {
            return state;
        }
        return state with { Actions = state.Actions.SetItem(index, state.Actions[index] with { ConvertedAt = orderedAt }) };
    }
}
