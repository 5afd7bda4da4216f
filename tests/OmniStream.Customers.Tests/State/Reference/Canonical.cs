using System.Collections.Immutable;
using System.Text;
using OmniStream.Customers.State;
using OmniStream.Customers.State.Legacy;

namespace OmniStream.Customers.Tests.State.Reference;

/// <summary>
/// What a customer's state says, as one JSON text, whichever fold made it: every member, the timeline
/// as a view shows it (the newest lines), and the events it would drop as copies (those within the
/// lateness bound). The working state keeps more lines than it shows (it keeps those within the bound
/// too, to tell copies apart); what it shows and refuses is what counts.
/// </summary>
internal static class Canonical
{
    public static string Of(LegacyCustomerState state, FoldOptions options) => Encoding.UTF8.GetString(LegacyFormats.ToJson(Normalized(state, options)));

    public static string Of(CustomerState state, FoldOptions options) => Of(LegacyFormats.FromWorkingState(state), options);

    private static LegacyCustomerState Normalized(LegacyCustomerState state, FoldOptions options)
    {
        var lateCutoff = state.LastEventAt - DateTime.MinValue < options.Lateness ? DateTime.MinValue : state.LastEventAt - options.Lateness;
        return state with
        {
            RecentEventIds = ImmutableSortedDictionary.CreateRange(state.RecentEventIds.Where(e => e.Value >= lateCutoff)),
            Interactions = [.. state.Interactions.OrderByDescending(i => i.At).ThenByDescending(i => i.EventId).Take(options.TimelineLength)],
        };
    }
}
