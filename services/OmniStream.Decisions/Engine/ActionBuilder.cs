using OmniStream.Customers.State;
using OmniStream.Decisions.Experiments;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>Turns the winning candidate of a moment into the action channels receive, with every reason, and the record the customer's state keeps.</summary>
internal static class ActionBuilder
{
    public static (NextBestAction Action, ActionRecord Record) Build(Guid actionId, PolicySet policies, Moment moment, Candidate best,
        IReadOnlyList<Candidate> candidates, IReadOnlyList<string> refusals, CustomerState state, PendingDecision trigger, DateTime now, TimeSpan orderWindow)
    {
        var action = best.Action;
        var channel = best.Channel.Channel;
        var experiment = action.Experiment;
        var variant = experiment is null ? null : ExperimentAssigner.Variant(experiment, state.CustomerId);
        var content = experiment?.Variants.FirstOrDefault(v => v.Name == variant)?.Content ?? action.Content;
        var expires = now + action.Expiry;
        if (TriggerFacts.ScheduledAt(trigger.Facts) is { } scheduled && scheduled < expires)
        {
            expires = scheduled;
        }
        var next = new NextBestAction
        {
            actionId = actionId,
            customerId = state.CustomerId,
            channel = channel,
            actionType = action.Type,
            contentRef = content,
            parameters = ActionParameters.For(action, state, trigger.Facts.Remove(DecisionEngine.DeferredFact), orderWindow, now),
            score = best.Score,
            reasonCodes = ReasonCodes(moment, best, candidates, trigger, variant),
            rulesFired = Rules(policies, moment, best, candidates, refusals, state, trigger, now, experiment, variant),
            experiment = experiment is null ? null : new ExperimentAssignment { experimentId = experiment.Id, variant = variant },
            triggerEventId = trigger.TriggerEventId,
            triggeredAt = trigger.DueAt,
            decidedAt = now,
            expiresAt = expires,
            traceParent = trigger.TraceParent,
        };
        var record = new ActionRecord(actionId, action.Type, channel, now, content, null, null, variant, null, action.Name, action.Purpose, best.Arm,
            Withheld: variant == ExperimentDefinition.Control);
        return (next, record);
    }

    private static List<string> ReasonCodes(Moment moment, Candidate best, IReadOnlyList<Candidate> candidates, PendingDecision trigger, string? variant)
    {
        var codes = new List<string>(6) { moment.ReasonCode, best.Channel.ReasonCode, candidates.Count > 1 ? "BEST_SCORE" : "ONLY_ELIGIBLE_ACTION" };
        if (best.Action.Purpose == Purpose.MARKETING)
        {
            codes.Add("MARKETING_CONSENT_GRANTED");
        }
        if (trigger.Facts.ContainsKey(DecisionEngine.DeferredFact))
        {
            codes.Add("AFTER_QUIET_HOURS");
        }
        if (variant is not null)
        {
            codes.Add($"EXPERIMENT_VARIANT_{variant.ToUpperInvariant()}");
        }
        return codes;
    }

    // The consent rule of a customer never asked, one text per purpose and channel.
    private static string NeverAsked(Purpose purpose, Channel channel) =>
        NeverAskedTexts.GetOrAdd((purpose, channel), static key => $"consent: {key.Purpose} on {key.Channel} never asked (enough for {key.Purpose})");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Purpose Purpose, Channel Channel), string> NeverAskedTexts = new();

    private static List<string> Rules(PolicySet policies, Moment moment, Candidate best, IReadOnlyList<Candidate> candidates, IReadOnlyList<string> refusals,
        CustomerState state, PendingDecision trigger, DateTime now, ExperimentDefinition? experiment, string? variant)
    {
        var action = best.Action;
        var channel = best.Channel.Channel;
        var index = PolicyIndex.Of(policies);
        // Sized for every rule it may hold, so that it never grows.
        var rules = new List<string>(7 + candidates.Count + refusals.Count)
        {
            index.MomentRule(moment),
            index.EligibilityRule(action),
            best.Channel.Rule,
            state.Consents.TryGetValue(ConsentRecord.KeyOf(action.Purpose, channel), out var consent)
                ? $"consent: {action.Purpose} on {channel} {(consent.Granted ? "granted" : "withdrawn")} at {consent.ChangedAt:O}"
                : NeverAsked(action.Purpose, channel),
        };
        if (action.Purpose == Purpose.MARKETING && action.ContactsCustomer)
        {
            rules.Add(ContactCheck.Passed(policies.ContactRules, state, channel, now));
        }
        if (trigger.Facts.TryGetValue(DecisionEngine.DeferredFact, out var deferredBy))
        {
            rules.Add($"deferred: {deferredBy}");
        }
        if (candidates.Count == 1)
        {
            rules.Add(candidates[0].Explain(policies.Learning.PriorStrength));
        }
        else
        {
            rules.AddRange(candidates.OrderByDescending(c => c.Score).Select(c => c.Explain(policies.Learning.PriorStrength)));
        }
        rules.AddRange(refusals);
        if (experiment is not null)
        {
            rules.Add($"experiment {experiment.Id}: variant {variant} (bucket {ExperimentAssigner.Bucket(experiment.Id, state.CustomerId)} of 100; control below {experiment.ControlShare})");
        }
        return rules;
    }
}
