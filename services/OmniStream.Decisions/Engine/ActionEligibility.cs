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
        in CustomerFigures figures, DateTime now, out ChannelChoice? channel) =>
        Check(rules, action, state, trigger, figures, now, null, out channel);

    /// <summary>
    /// Every rule that stops <paramref name="action"/> now, in the order <see cref="Refusal"/> checks them (its
    /// answer is the first); empty when it may go, with <paramref name="channel"/>. The contact rules are checked on
    /// the channel the action's rule names when consent leaves it no channel.
    /// </summary>
    public static IReadOnlyList<string> Refusals(ContactRules rules, ActionDefinition action, CustomerState state, PendingDecision trigger,
        in CustomerFigures figures, DateTime now, out ChannelChoice? channel)
    {
        var all = new List<string>();
        Check(rules, action, state, trigger, figures, now, all, out channel);
        return all;
    }

    // Stops at the first refusal when all is null; else adds every one to it.
    private static string? Check(ContactRules rules, ActionDefinition action, CustomerState state, PendingDecision trigger,
        in CustomerFigures figures, DateTime now, List<string>? all, out ChannelChoice? channel)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(trigger);
        channel = null;
        string? first = null;
        for (var s = 0; s < action.Segments.Count; s++)
        {
            if (!state.Segments.Contains(action.Segments[s]) && Stop(all, ref first, $"not in segment {action.Segments[s]}"))
            {
                return first;
            }
        }
        for (var c = 0; c < action.When.Count; c++)
        {
            var condition = action.When[c];
            if (!condition.HoldsFor(figures.Get(condition.Metric)) && Stop(all, ref first, $"{condition.Metric} {condition.Operator} {condition.Value} does not hold"))
            {
                return first;
            }
        }
        if (now - trigger.DueAt > action.Expiry
            && Stop(all, ref first, $"it was due at {trigger.DueAt:O}, longer ago than its expiry {DurationText.Format(action.Expiry)}"))
        {
            return first;
        }
        if (rules.NotAgainAfterConversion is { } quiet)
        {
            foreach (var done in state.Actions)
            {
                if (done.Action == action.Name && done.ConvertedAt is { } converted && now - converted < quiet)
                {
                    if (Stop(all, ref first, $"it converted at {done.ConvertedAt:O}, within {DurationText.Format(quiet)}"))
                    {
                        return first;
                    }
                    // Named once, by the newest conversion.
                    break;
                }
            }
        }
        channel = ChannelChoice.For(action.Channel, action.Purpose, state, trigger);
        if (channel is null
            && Stop(all, ref first, $"no channel: {action.Channel.Source} has no {action.Purpose} consent or cannot carry it, and no fallback can"))
        {
            return first;
        }
        if (action.Purpose != Purpose.MARKETING || !action.ContactsCustomer)
        {
            return first;
        }
        var contacted = channel?.Channel ?? ChannelChoice.Named(action.Channel, state, trigger);
        if (all is null)
        {
            return ContactCheck.Refusal(rules, state, contacted, now) is { } refused ? $"{refused.Code}: {refused.Text}" : null;
        }
        foreach (var (code, text) in ContactCheck.Refusals(rules, state, contacted, now))
        {
            Stop(all, ref first, $"{code}: {text}");
        }
        return first;
    }

    // Notes a refusal; true when checking stops at the first.
    private static bool Stop(List<string>? all, ref string? first, string why)
    {
        first ??= why;
        all?.Add(why);
        return all is null;
    }
}
