using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// Whether an action of a moment may go to the customer now, and if not why: the check the decision
/// engine runs on each candidate action, and the one any "why not?" must ask.
/// </summary>
public static class ActionEligibility
{
    /// <summary>
    /// Why <paramref name="action"/> may not go to the customer now (segments, conditions, expiry, a recent
    /// conversion, consent on a channel that can carry it, the contact rules); null when it may, with the
    /// channel it goes to.
    /// </summary>
    public static string? Refusal(ContactRules rules, ActionDefinition action, CustomerState state, PendingDecision trigger,
        in CustomerFigures figures, DateTime now, out ChannelChoice? channel)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(trigger);
        channel = null;
        for (var s = 0; s < action.Segments.Count; s++)
        {
            if (!state.Segments.Contains(action.Segments[s]))
            {
                return $"not in segment {action.Segments[s]}";
            }
        }
        for (var c = 0; c < action.When.Count; c++)
        {
            var condition = action.When[c];
            if (!condition.HoldsFor(figures.Get(condition.Metric)))
            {
                return $"{condition.Metric} {condition.Operator} {condition.Value} does not hold";
            }
        }
        if (now - trigger.DueAt > action.Expiry)
        {
            return $"it was due at {trigger.DueAt:O}, longer ago than its expiry {DurationText.Format(action.Expiry)}";
        }
        if (rules.NotAgainAfterConversion is { } quiet)
        {
            foreach (var done in state.Actions)
            {
                if (done.Action == action.Name && done.ConvertedAt is { } converted && now - converted < quiet)
                {
                    return $"it converted at {done.ConvertedAt:O}, within {DurationText.Format(quiet)}";
                }
            }
        }
        channel = ChannelChoice.For(action.Channel, action.Purpose, state, trigger);
        if (channel is null)
        {
            return $"no channel: {action.Channel.Source} has no {action.Purpose} consent or cannot carry it, and no fallback can";
        }
        if (action.Purpose == Purpose.MARKETING && action.ContactsCustomer && ContactCheck.Refusal(rules, state, channel.Channel, now) is { } refused)
        {
            return $"{refused.Code}: {refused.Text}";
        }
        return null;
    }
}
