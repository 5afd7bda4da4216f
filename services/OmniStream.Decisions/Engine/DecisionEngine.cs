using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Decisions.Experiments;
using OmniStream.Decisions.Learning;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// Decides the next best actions of a customer: when an interaction or a segment entry triggers a
/// moment of the policies, and when a waiting moment's time comes. Each moment picks, among its
/// actions that are eligible and pass consent and the contact rules, the one with the best score
/// (propensity drawn from what outcomes taught × value × context weight), or none; quiet hours
/// defer it; an experiment's control group gets it withheld. Pure: same state, trigger, time and
/// learning counts, same decisions.
/// </summary>
public sealed class DecisionEngine(CustomerFold fold)
{
    /// <summary>
    /// Decides the moments that a change of the customer triggers: <paramref name="interaction"/>, just folded into
    /// <paramref name="state"/> (null for other changes, such as a merge), and the segments <paramref name="entered"/>.
    /// </summary>
    public DecisionResult OnChange(PolicySet policies, CustomerState state, InteractionEvent? interaction, IReadOnlyCollection<string> entered,
        DateTime now, Func<string, ArmStats> stats)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(entered);
        var decisions = new List<Decision>();
        foreach (var moment in interaction is null ? [] : TriggeredBy(policies, interaction))
        {
            var facts = TriggerFacts.Of(interaction!, state);
            var trigger = new PendingDecision(KeyOf(moment, facts), moment.Name, interaction!.receivedAt, interaction.occurredAt,
                interaction.eventId, interaction.channel, interaction.traceParent, facts);
            state = Trigger(policies, state, moment, trigger, now, stats, decisions);
        }
        return new DecisionResult(OnSegments(policies, state, entered, now, stats, decisions), decisions);
    }

    /// <summary>Decides the waiting moments due at <paramref name="now"/>, and the moments of the segments the customer entered as time passed.</summary>
    public DecisionResult OnTime(PolicySet policies, CustomerState state, IReadOnlyCollection<string> entered, DateTime now, Func<string, ArmStats> stats)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(state);
        var decisions = new List<Decision>();
        foreach (var pending in state.Pending.Values.Where(p => p.IsWaiting && p.DueAt <= now).OrderBy(p => p.DueAt).ToList())
        {
            state = state with { Pending = state.Pending.SetItem(pending.Key, pending with { DoneAt = now }) };
            if (policies.MomentNamed(pending.Moment) is { } moment)
            {
                state = Decide(policies, state, moment, pending, now, stats, decisions);
            }
            else
            {
                state = NothingSent(state, pending.Moment, pending, now, ["the moment is no longer in the policies"], decisions);
            }
        }
        return new DecisionResult(OnSegments(policies, state, entered, now, stats, decisions), decisions);
    }

    private static IEnumerable<Moment> TriggeredBy(PolicySet policies, InteractionEvent interaction)
    {
        var name = TriggerFacts.EventName(interaction);
        return policies.Moments.Where(m => m.OnEvent == name && m.When.All(c => c.HoldsFor(TriggerFacts.Metric(interaction, c.Metric))));
    }

    private CustomerState OnSegments(PolicySet policies, CustomerState state, IReadOnlyCollection<string> entered, DateTime now,
        Func<string, ArmStats> stats, List<Decision> decisions)
    {
        foreach (var moment in policies.Moments.Where(m => m.OnSegmentEntered is { } segment && entered.Contains(segment)))
        {
            var segment = moment.OnSegmentEntered!;
            var trigger = new PendingDecision(moment.Name, moment.Name, now, now,
                DeterministicId.From("segment-entered", state.CustomerId, segment, now.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                state.PreferredChannel, null, TriggerFacts.OfSegment(segment));
            state = Trigger(policies, state, moment, trigger, now, stats, decisions);
        }
        return state;
    }

    private CustomerState Trigger(PolicySet policies, CustomerState state, Moment moment, PendingDecision trigger, DateTime now,
        Func<string, ArmStats> stats, List<Decision> decisions)
    {
        if (moment.PauseMarketing is { } pause && !(state.MarketingPausedUntil >= trigger.TriggeredAt + pause))
        {
            state = state with { MarketingPausedUntil = trigger.TriggeredAt + pause };
        }
        if (!moment.Waits)
        {
            return Decide(policies, state, moment, trigger, now, stats, decisions);
        }
        if (DueOf(moment, trigger, state, policies.ContactRules) is not { } due
            || state.Pending.TryGetValue(trigger.Key, out var known) && !Stamped.IsNewer(trigger, known))
        {
            return state;
        }
        return state with { Pending = state.Pending.SetItem(trigger.Key, trigger with { DueAt = due }) };
    }

    private CustomerState Decide(PolicySet policies, CustomerState state, Moment moment, PendingDecision trigger, DateTime now,
        Func<string, ArmStats> stats, List<Decision> decisions)
    {
        if (TriggerFacts.ScheduledAt(trigger.Facts) is { } scheduled && scheduled <= now)
        {
            return NothingSent(state, moment.Name, trigger, now, [$"the booked time {scheduled:O} has passed"], decisions);
        }
        var actionId = DecisionId(state, moment.Name, trigger);
        var refusals = new List<string>();
        var candidates = new List<Candidate>();
        var metric = SegmentMetrics.Of(state, now, fold.Options.OrderWindow);
        var learningSegment = policies.Learning.SegmentOf(state.Segments);
        foreach (var action in moment.Actions.Select(name => policies.Actions[name]))
        {
            if (Refusal(policies.ContactRules, action, state, trigger, metric, now, out var channel) is { } why)
            {
                refusals.Add($"not chosen {action.Name}: {why}");
                continue;
            }
            var arm = ArmStats.Key(action.Name, learningSegment);
            var armStats = stats(arm);
            var propensity = PropensitySampler.Sample(action.Propensity, policies.Learning.PriorStrength, armStats, Seed(actionId, action.Name));
            var value = (double)(action.Value.Fixed ?? metric(action.Value.Metric!) ?? 0m);
            var weight = action.Weights.Where(w => w.Conditions.All(c => c.HoldsFor(metric(c.Metric)))).Aggregate(1.0, (product, w) => product * w.Weight);
            var candidate = new Candidate(action, channel!, arm, armStats, propensity, value, weight);
            if (candidate.Score > 0)
            {
                candidates.Add(candidate);
            }
            else
            {
                refusals.Add($"not chosen {action.Name}: its value for this customer is 0");
            }
        }
        if (candidates.Count == 0)
        {
            return NothingSent(state, moment.Name, trigger, now, refusals, decisions);
        }
        var best = candidates.MaxBy(c => c.Score)!;
        if (best.Action.ContactsCustomer && policies.ContactRules.QuietHours is { } quiet && ZoneOf(state, policies.ContactRules) is { } zone
            && quiet.EndAfter(now, zone) is { } end)
        {
            var deferred = trigger with { DueAt = end, DoneAt = null, Facts = trigger.Facts.SetItem(DeferredFact, $"quiet hours {quiet} in {zone.Id}") };
            decisions.Add(new Decision(moment.Name, DecisionKind.Deferred, null, null, end, refusals));
            return state with { Pending = state.Pending.SetItem(trigger.Key, deferred) };
        }
        var built = ActionBuilder.Build(actionId, policies, moment, best, candidates, refusals, state, trigger, now, fold.Options.OrderWindow);
        state = fold.WithAction(state, built.Record);
        decisions.Add(new Decision(moment.Name, built.Record.Withheld ? DecisionKind.Withheld : DecisionKind.Sent,
            built.Record.Withheld ? null : built.Action, built.Record, null, refusals));
        return state;
    }

    // A moment that sends nothing is kept in the state with its reasons, so the customer can be told why.
    private static CustomerState NothingSent(CustomerState state, string moment, PendingDecision trigger, DateTime now,
        IReadOnlyList<string> reasons, List<Decision> decisions)
    {
        decisions.Add(new Decision(moment, DecisionKind.None, null, null, null, reasons));
        return CustomerFold.WithSilence(state, new SilentDecision(DecisionId(state, moment, trigger), moment, now, [.. reasons]));
    }

    // The id of a moment's decision: the id of the action it sends, if it sends one.
    private static Guid DecisionId(CustomerState state, string moment, PendingDecision trigger) =>
        DeterministicId.From("next-best-action", state.CustomerId, moment, trigger.Key, trigger.TriggerEventId.ToString());

    /// <summary>The fact a deferred moment carries, saying what deferred it.</summary>
    internal const string DeferredFact = "deferredBy";

    // Why the action may not go to the customer now; null when it may, with the channel it goes to.
    private static string? Refusal(ContactRules rules, ActionDefinition action, CustomerState state, PendingDecision trigger,
        Func<string, decimal?> metric, DateTime now, out ChannelChoice? channel)
    {
        channel = null;
        if (action.Segments.FirstOrDefault(s => !state.Segments.Contains(s)) is { } outside)
        {
            return $"not in segment {outside}";
        }
        if (action.When.FirstOrDefault(c => !c.HoldsFor(metric(c.Metric))) is { } unmet)
        {
            return $"{unmet.Metric} {unmet.Operator} {unmet.Value} does not hold";
        }
        if (now - trigger.DueAt > action.Expiry)
        {
            return $"it was due at {trigger.DueAt:O}, longer ago than its expiry {DurationText.Format(action.Expiry)}";
        }
        if (rules.NotAgainAfterConversion is { } quiet
            && state.Actions.FirstOrDefault(a => a.Action == action.Name && a.ConvertedAt is { } converted && now - converted < quiet) is { } done)
        {
            return $"it converted at {done.ConvertedAt:O}, within {DurationText.Format(quiet)}";
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

    private static DateTime? DueOf(Moment moment, PendingDecision trigger, CustomerState state, ContactRules rules)
    {
        if (moment.After is { } after)
        {
            return trigger.TriggeredAt + after;
        }
        if (moment.At?.NextDayAt is { } time)
        {
            var zone = ZoneOf(state, rules) ?? TimeZoneInfo.Utc;
            var local = TimeZoneInfo.ConvertTimeFromUtc(trigger.TriggeredAt, zone);
            return LocalTime.ToUtc(local.Date.AddDays(1) + time.ToTimeSpan(), zone);
        }
        return moment.At?.BeforeScheduled is { } before && TriggerFacts.ScheduledAt(trigger.Facts) is { } scheduled ? scheduled - before : null;
    }

    /// <summary>The customer's time zone: their profile's, else the policies' default; null when neither is known.</summary>
    internal static TimeZoneInfo? ZoneOf(CustomerState state, ContactRules rules) =>
        LocalTime.Find(state.Profile.GetValueOrDefault(LocalTime.ProfileAttribute)?.Value) ?? rules.DefaultTimeZone;

    private static string KeyOf(Moment moment, IReadOnlyDictionary<string, string> facts) =>
        TriggerFacts.InstanceOf(facts) is { Length: > 0 } instance ? $"{moment.Name}/{instance}" : moment.Name;

    private static int Seed(Guid actionId, string action) => BitConverter.ToInt32(DeterministicId.From(actionId.ToString(), action).ToByteArray(), 0);
}
