using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// Last-touch attribution of orders to marketing actions: an order converts the latest marketing
/// action decided before it within the window, sent or withheld (so that an experiment's control
/// group converts the same way as its variants), unless that action already converted.
/// </summary>
internal static class ActionAttribution
{
    public static CustomerState Attribute(CustomerState state, DateTime orderedAt, TimeSpan window)
    {
        var index = state.Actions.FindIndex(a => a.Purpose == Purpose.MARKETING && a.DecidedAt <= orderedAt && orderedAt - a.DecidedAt <= window);
        if (index < 0 || state.Actions[index].ConvertedAt is not null)
        {
            return state;
        }
        return state with { Actions = state.Actions.SetItem(index, state.Actions[index] with { ConvertedAt = orderedAt }) };
    }
}
