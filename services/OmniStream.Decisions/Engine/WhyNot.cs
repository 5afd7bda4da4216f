using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Decisions.Experiments;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// Whether an action of the policies would go to a customer now and, if not, every rule that stops it: the checks
/// <see cref="DecisionEngine"/> runs on a moment's candidates (<see cref="ActionEligibility"/>, the quiet hours of
/// <see cref="MomentTiming"/>, the experiment's arm of <see cref="ExperimentAssigner"/>), asked of a copy of nothing:
/// it reads the state and changes none of it.
/// </summary>
public static class WhyNot
{
    /// <summary>
    /// The answer for <paramref name="actionName"/> and <paramref name="state"/> at <paramref name="now"/>, as if its moment
    /// were decided now (its waiting trigger when it has one, else a trigger now on the customer's last channel); null when
    /// the policies have no such action.
    /// </summary>
    public static WhyNotAnswer? Ask(PolicySet policies, CustomerState state, string actionName, DateTime now, TimeSpan orderWindow)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(state);
        if (!policies.Actions.TryGetValue(actionName, out var action))
        {
            return null;
        }
        var moment = policies.Moments.FirstOrDefault(m => m.Actions.Contains(actionName));
        var waiting = moment is null ? null : state.Pending.Values.Where(p => p.IsWaiting && p.Moment == moment.Name).MinBy(p => p.DueAt);
        var trigger = waiting ?? new PendingDecision(moment?.Name ?? actionName, moment?.Name ?? actionName, now, now, Guid.Empty, state.LastChannel, null,
            TriggerFacts.None);
        var figures = SegmentMetrics.Of(state, now, orderWindow);
        var stops = new List<string>();
        if (moment is null)
        {
            stops.Add("no moment of the policies chooses it");
        }
        if (TriggerFacts.ScheduledAt(trigger.Facts) is { } scheduled && scheduled <= now)
        {
            stops.Add($"the booked time {scheduled:O} has passed");
        }
        stops.AddRange(ActionEligibility.Refusals(policies.ContactRules, action, state, trigger, figures, now, out var channel));
        if (Candidate.ValueOf(action, figures) <= 0)
        {
            stops.Add($"its value for this customer is 0 ({action.Value})");
        }
        if (MomentTiming.QuietHoursHold(action, state, policies.ContactRules, now) is var (end, quietHours))
        {
            stops.Add($"{quietHours}: held until {end:O}");
        }
        var variant = action.Experiment is { } experiment ? ExperimentAssigner.Variant(experiment, state.CustomerId) : null;
        if (variant == ExperimentDefinition.Control)
        {
            stops.Add($"experiment {action.Experiment!.Id}: the customer is in its control group, from whom it is withheld");
        }
        return new WhyNotAnswer(action.Name, moment?.Name, stops.Count == 0, channel?.Channel, variant, waiting?.DueAt, stops);
    }
}

/// <summary>Whether an action would go to a customer now, and what stops it.</summary>
/// <param name="Action">The action, by name.</param>
/// <param name="Moment">The moment of the policies that chooses it (the first, when several do).</param>
/// <param name="WouldGoNow">True when nothing stops it: decided now, it could be chosen (it still competes with the moment's other actions on score).</param>
/// <param name="Channel">The channel it would go to, when consent leaves one.</param>
/// <param name="Variant">The customer's arm of the action's experiment, if it has one.</param>
/// <param name="WaitingUntil">When its moment, waiting for the customer, is due; null when none waits.</param>
/// <param name="Stops">Every rule that stops it, for people, in the order the engine checks them.</param>
public sealed record WhyNotAnswer(string Action, string? Moment, bool WouldGoNow, Channel? Channel, string? Variant, DateTime? WaitingUntil,
    IReadOnlyList<string> Stops);
