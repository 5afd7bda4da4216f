using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// Last-touch attribution of orders to marketing actions: an order converts the latest marketing
/// action decided before it within the window, sent or withheld (so that an experiment's control
/// group converts the same way as its variants), unless that action already converted.
/// </summary>
public static class ActionAttribution
{
    /// <summary>Attributes the order placed at <paramref name="orderedAt"/> to the latest marketing action within <paramref name="window"/> before it; returns the action it converted, if any.</summary>
    internal static ActionRecord? Attribute(CustomerState state, DateTime orderedAt, TimeSpan window)
    {
        var actions = state.Actions;
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            if (action.Purpose == Purpose.MARKETING && action.DecidedAt <= orderedAt && orderedAt - action.DecidedAt <= window)
            {
                if (action.ConvertedAt is not null)
                {
                    return null;
                }
                var converted = action with { ConvertedAt = orderedAt };
                actions.Replace(i, converted);
                return converted;
            }
        }
        return null;
    }
}
