using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Decisions.Learning;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// Decides the next best actions of a customer: when an interaction or a segment entry triggers a
/// moment of the policies, and when a waiting moment's time comes. Each moment picks, among its
/// actions that are eligible and pass consent and the contact rules, the one with the best score
/// (propensity drawn from what outcomes taught × value × context weight), or none; quiet hours
/// defer it; an experiment's control group gets it withheld. The customer's working state records
/// it all (waiting moments, pauses, actions, moments that sent nothing). Deterministic: same state,
/// trigger, time and learning counts, same decisions.
/// </summary>
public sealed class DecisionEngine(CustomerFold fold)
{
    [ThreadStatic]
    private static List<Candidate>? t_candidates;

    [ThreadStatic]
    private static List<PendingDecision>? t_due;

    /// <summary>
    /// Whether a moment of <paramref name="policies"/> comes on events like <paramref name="interaction"/> (its
    /// name): only then does deciding it read the event's trace (<see cref="InteractionEvent.traceParent"/>).
    /// </summary>
    public static bool MayTrigger(PolicySet policies, InteractionEvent interaction)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(interaction);
        return PolicyIndex.Of(policies).MomentsOn(TriggerFacts.EventName(interaction)).Count > 0;
    }

    /// <summary>
    /// Decides the moments that a change of the customer triggers: <paramref name="interaction"/>, just folded into
    /// <paramref name="state"/> (null for other changes, such as a merge), and the segments <paramref name="entered"/>.
    /// </summary>
    public IReadOnlyList<Decision> OnChange(PolicySet policies, CustomerState state, InteractionEvent? interaction, IReadOnlyCollection<string> entered,
        DateTime now, Func<string, ArmStats> stats)
    {
        var decisions = new DecisionList();
        OnChange(policies, state, interaction, entered, now, stats, decisions);
        return decisions.Decisions;
    }

    /// <summary>As <see cref="OnChange(PolicySet, CustomerState, InteractionEvent?, IReadOnlyCollection{string}, DateTime, Func{string, ArmStats})"/>, the decisions added to <paramref name="decisions"/> (a task's list, kept from one record to the next).</summary>
    public void OnChange(PolicySet policies, CustomerState state, InteractionEvent? interaction, IReadOnlyCollection<string> entered,
        DateTime now, Func<string, ArmStats> stats, DecisionList decisions)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(entered);
        ArgumentNullException.ThrowIfNull(decisions);
        if (interaction is not null)
        {
            var moments = PolicyIndex.Of(policies).MomentsOn(TriggerFacts.EventName(interaction));
            for (var m = 0; m < moments.Count; m++)
            {
                var moment = moments[m];
                if (!Holds(moment, interaction))
                {
                    continue;
                }
                var facts = TriggerFacts.Of(interaction, state, state.Pending.GetValueOrDefault(moment.Name)?.Facts);
                Trigger(policies, state, moment, KeyOf(moment, facts), interaction.receivedAt, interaction.occurredAt, interaction.eventId, interaction.channel,
                    interaction.traceParent, facts, now, stats, decisions);
            }
        }
        OnSegments(policies, state, entered, now, stats, decisions);
    }

    /// <summary>Decides the waiting moments due at <paramref name="now"/>, and the moments of the segments the customer entered as time passed.</summary>
    public IReadOnlyList<Decision> OnTime(PolicySet policies, CustomerState state, IReadOnlyCollection<string> entered, DateTime now, Func<string, ArmStats> stats)
    {
        var decisions = new DecisionList();
        OnTime(policies, state, entered, now, stats, decisions);
        return decisions.Decisions;
    }

    /// <summary>As <see cref="OnTime(PolicySet, CustomerState, IReadOnlyCollection{string}, DateTime, Func{string, ArmStats})"/>, the decisions added to <paramref name="decisions"/> (a task's list, kept from one record to the next).</summary>
    public void OnTime(PolicySet policies, CustomerState state, IReadOnlyCollection<string> entered, DateTime now, Func<string, ArmStats> stats, DecisionList decisions)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(decisions);
        // The thread's list, emptied: deciding a moment neither reads it nor takes another.
        var due = t_due ??= [];
        due.Clear();
        var waiting = state.Pending.Values;
        for (var i = 0; i < waiting.Count; i++)
        {
            if (waiting[i].IsWaiting && waiting[i].DueAt <= now)
            {
                due.Add(waiting[i]);
            }
        }
        // Earliest first; moments due at the same time in their keys' order (the pending list's), as a stable sort keeps them.
        due.Sort(static (a, b) => a.DueAt != b.DueAt ? a.DueAt.CompareTo(b.DueAt) : string.CompareOrdinal(a.Key, b.Key));
        foreach (var pending in due)
        {
            state.Pending[pending.Key] = pending.Done(now);
            state.MarkChanged(StateSections.Decisions);
            if (policies.MomentNamed(pending.Moment) is { } moment)
            {
                Decide(policies, state, moment, pending, now, stats, decisions);
            }
            else
            {
                NothingSent(state, pending.Moment, pending, now, ["the moment is no longer in the policies"], decisions);
            }
        }
        OnSegments(policies, state, entered, now, stats, decisions);
    }

    private static bool Holds(Moment moment, InteractionEvent interaction)
    {
        for (var i = 0; i < moment.When.Count; i++)
        {
            var condition = moment.When[i];
            if (!condition.HoldsFor(TriggerFacts.Metric(interaction, condition.Metric)))
            {
                return false;
            }
        }
        return true;
    }

    private void OnSegments(PolicySet policies, CustomerState state, IReadOnlyCollection<string> entered, DateTime now,
        Func<string, ArmStats> stats, DecisionList decisions)
    {
        if (entered.Count == 0)
        {
            return;
        }
        for (var m = 0; m < policies.Moments.Count; m++)
        {
            var moment = policies.Moments[m];
            if (moment.OnSegmentEntered is not { } segment || !entered.Contains(segment))
            {
                continue;
            }
            var eventId = DeterministicId.From("segment-entered", state.CustomerId, segment, now.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Trigger(policies, state, moment, moment.Name, now, now, eventId, state.PreferredChannel, null, TriggerFacts.OfSegment(segment), now, stats, decisions);
        }
    }

    private void Trigger(PolicySet policies, CustomerState state, Moment moment, string key, DateTime receivedAt, DateTime triggeredAt, Guid eventId,
        Channel channel, string? traceParent, System.Collections.Immutable.ImmutableSortedDictionary<string, string> facts, DateTime now,
        Func<string, ArmStats> stats, DecisionList decisions)
    {
        if (moment.PauseMarketing is { } pause && !(state.MarketingPausedUntil >= triggeredAt + pause))
        {
            state.MarketingPausedUntil = triggeredAt + pause;
        }
        if (!moment.Waits)
        {
            Decide(policies, state, moment, new PendingDecision(key, moment.Name, receivedAt, triggeredAt, eventId, channel, traceParent, facts), now, stats, decisions);
            return;
        }
        if (MomentTiming.DueOf(moment, triggeredAt, facts, state, policies.ContactRules) is not { } due
            || state.Pending.TryGetValue(key, out var known) && !IsNewer(triggeredAt, eventId, known))
        {
            return;
        }
        state.Pending[key] = new PendingDecision(key, moment.Name, due, triggeredAt, eventId, channel, traceParent, facts);
        state.MarkChanged(StateSections.Decisions);
    }

    private void Decide(PolicySet policies, CustomerState state, Moment moment, PendingDecision trigger, DateTime now,
        Func<string, ArmStats> stats, DecisionList decisions)
    {
        if (TriggerFacts.ScheduledAt(trigger.Facts) is { } scheduled && scheduled <= now)
        {
            NothingSent(state, moment.Name, trigger, now, [$"the booked time {scheduled:O} has passed"], decisions);
            return;
        }
        var actionId = DecisionId(state, moment.Name, trigger);
        List<string>? refusals = null;
        // The thread's list, emptied: the candidates are read while the action is built, and only they are kept.
        var candidates = t_candidates ??= [];
        candidates.Clear();
        var figures = SegmentMetrics.Of(state, now, fold.Options.OrderWindow);
        var learningSegment = policies.Learning.SegmentOf(state.Segments);
        var index = PolicyIndex.Of(policies);
        for (var a = 0; a < moment.Actions.Count; a++)
        {
            var action = policies.Actions[moment.Actions[a]];
            if (ActionEligibility.Refusal(policies.ContactRules, action, state, trigger, figures, now, out var channel) is { } why)
            {
                (refusals ??= []).Add($"not chosen {action.Name}: {why}");
                continue;
            }
            var arm = index.Arm(action.Name, learningSegment);
            var armStats = stats(arm);
            var propensity = PropensitySampler.Sample(action.Propensity, policies.Learning.PriorStrength, armStats, PropensitySampler.Seed(actionId, action.Name));
            var value = Candidate.ValueOf(action, figures);
            var weight = 1.0;
            for (var w = 0; w < action.Weights.Count; w++)
            {
                weight *= figures.All(action.Weights[w].Conditions) ? action.Weights[w].Weight : 1.0;
            }
            var candidate = decisions.NewCandidate().Set(action, channel!, arm, armStats, propensity, value, weight);
            if (candidate.Score > 0)
            {
                candidates.Add(candidate);
            }
            else
            {
                (refusals ??= []).Add($"not chosen {action.Name}: its value for this customer is 0");
            }
        }
        IReadOnlyList<string> reasons = refusals ?? (IReadOnlyList<string>)[];
        if (candidates.Count == 0)
        {
            NothingSent(state, moment.Name, trigger, now, reasons, decisions);
            return;
        }
        var best = candidates[0];
        for (var c = 1; c < candidates.Count; c++)
        {
            best = candidates[c].Score > best.Score ? candidates[c] : best;
        }
        if (MomentTiming.QuietHoursHold(best.Action, state, policies.ContactRules, now) is var (end, quietHours))
        {
            var deferred = trigger with { DueAt = end, DoneAt = null, Facts = trigger.Facts.SetItem(DeferredFact, quietHours) };
            decisions.Add(new Decision(moment.Name, DecisionKind.Deferred, null, null, end, reasons));
            state.Pending[trigger.Key] = deferred;
            state.MarkChanged(StateSections.Decisions);
            return;
        }
        var built = ActionBuilder.Build(decisions.NewAction(), actionId, policies, moment, best, candidates, reasons, state, trigger, now, fold.Options.OrderWindow);
        fold.WithAction(state, built.Record);
        decisions.Add(new Decision(moment.Name, built.Record.Withheld ? DecisionKind.Withheld : DecisionKind.Sent,
            built.Record.Withheld ? null : built.Action, built.Record, null, reasons));
    }

    // A moment that sends nothing is kept in the state with its reasons, so the customer can be told why.
    private static void NothingSent(CustomerState state, string moment, PendingDecision trigger, DateTime now,
        IReadOnlyList<string> reasons, DecisionList decisions)
    {
        decisions.Add(new Decision(moment, DecisionKind.None, null, null, null, reasons));
        CustomerFold.WithSilence(state, new SilentDecision(DecisionId(state, moment, trigger), moment, now, [.. reasons]));
    }

    // The id of a moment's decision: the id of the action it sends, if it sends one.
    private static Guid DecisionId(CustomerState state, string moment, PendingDecision trigger) =>
        DeterministicId.From(["next-best-action", state.CustomerId, moment, trigger.Key], trigger.TriggerEventId);

    /// <summary>The fact a deferred moment carries, saying what deferred it.</summary>
    internal const string DeferredFact = "deferredBy";

    // A newer trigger (later event time, then greater event id) replaces a waiting or decided one of the same key.
    private static bool IsNewer(DateTime triggeredAt, Guid eventId, PendingDecision known) =>
        Stamped.IsNewer(triggeredAt, eventId, known.TriggeredAt, known.TriggerEventId);

    private static string KeyOf(Moment moment, IReadOnlyDictionary<string, string> facts) =>
        TriggerFacts.InstanceOf(facts) is { Length: > 0 } instance ? $"{moment.Name}/{instance}" : moment.Name;
}
