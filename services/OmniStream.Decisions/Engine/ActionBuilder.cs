using OmniStream.Customers.State;
using OmniStream.Decisions.Experiments;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>Turns the winning candidate of a moment into the action channels receive, with every reason, and the record the customer's state keeps.</summary>
internal static class ActionBuilder
{
    // Every field of the action is set: it may be one written before (DecisionList).
    public static (NextBestAction Action, ActionRecord Record) Build(NextBestAction next, Guid actionId, PolicySet policies, Moment moment, Candidate best,
        IReadOnlyList<Candidate> candidates, IReadOnlyList<string> refusals, CustomerState state, PendingDecision trigger, DateTime now, TimeSpan orderWindow)
    {
        var action = best.Action;
        var channel = best.Channel.Channel;
        var experiment = action.Experiment;
        var variant = experiment is null ? null : ExperimentAssigner.Variant(experiment, state.CustomerId);
        var content = experiment is null ? action.Content : ContentOf(experiment, variant) ?? action.Content;
        var expires = now + action.Expiry;
        if (TriggerFacts.ScheduledAt(trigger.Facts) is { } scheduled && scheduled < expires)
        {
            expires = scheduled;
        }
        next.actionId = actionId;
        next.customerId = state.CustomerId;
        next.channel = channel;
        next.actionType = action.Type;
        next.contentRef = content;
        next.parameters = ActionParameters.For(action, state, trigger.Facts.Remove(DecisionEngine.DeferredFact), orderWindow, now,
            next.parameters as SortedList<string, string>);
        next.score = best.Score;
        next.reasonCodes = ReasonCodes(next.reasonCodes as string[], moment, best, candidates, trigger, variant);
        next.rulesFired = Rules(next.rulesFired as FiredRules, policies, moment, best, candidates, refusals, state, trigger, now, experiment, variant);
        next.experiment = experiment is null ? null : new ExperimentAssignment { experimentId = experiment.Id, variant = variant };
        next.triggerEventId = trigger.TriggerEventId;
        next.triggeredAt = trigger.DueAt;
        next.decidedAt = now;
        next.expiresAt = expires;
        next.traceParent = trigger.TraceParent;
        var record = new ActionRecord(actionId, action.Type, channel, now, content, null, null, variant, null, action.Name, action.Purpose, best.Arm,
            Withheld: variant == ExperimentDefinition.Control);
        return (next, record);
    }

    // The variant's own content, if it has one (a loop: a lambda's closure would be made at every action, experiment or not).
    private static string? ContentOf(ExperimentDefinition experiment, string? variant)
    {
        for (var i = 0; i < experiment.Variants.Count; i++)
        {
            if (experiment.Variants[i].Name == variant)
            {
                return experiment.Variants[i].Content;
            }
        }
        return null;
    }

    // An array made to its size (the one held, when its size fits): the action carries it as it is.
    private static string[] ReasonCodes(string[]? held, Moment moment, Candidate best, IReadOnlyList<Candidate> candidates, PendingDecision trigger, string? variant)
    {
        var marketing = best.Action.Purpose == Purpose.MARKETING;
        var deferred = trigger.Facts.ContainsKey(DecisionEngine.DeferredFact);
        var count = 3 + (marketing ? 1 : 0) + (deferred ? 1 : 0) + (variant is null ? 0 : 1);
        var codes = held?.Length == count ? held : new string[count];
        codes[0] = moment.ReasonCode;
        codes[1] = best.Channel.ReasonCode;
        codes[2] = candidates.Count > 1 ? "BEST_SCORE" : "ONLY_ELIGIBLE_ACTION";
        var next = 3;
        if (marketing)
        {
            codes[next++] = "MARKETING_CONSENT_GRANTED";
        }
        if (deferred)
        {
            codes[next++] = "AFTER_QUIET_HOURS";
        }
        if (variant is not null)
        {
            codes[next] = $"EXPERIMENT_VARIANT_{variant.ToUpperInvariant()}";
        }
        return codes;
    }

    // The consent rule of a customer never asked, one text per purpose and channel.
    private static string NeverAsked(Purpose purpose, Channel channel) =>
        NeverAskedTexts.GetOrAdd((purpose, channel), static key => $"consent: {key.Purpose} on {key.Channel} never asked (enough for {key.Purpose})");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Purpose Purpose, Channel Channel), string> NeverAskedTexts = new();

    // Made to its size; the candidates' explanations written as the action is encoded (FiredRules).
    private static FiredRules Rules(FiredRules? held, PolicySet policies, Moment moment, Candidate best, IReadOnlyList<Candidate> candidates, IReadOnlyList<string> refusals,
        CustomerState state, PendingDecision trigger, DateTime now, ExperimentDefinition? experiment, string? variant)
    {
        var action = best.Action;
        var channel = best.Channel.Channel;
        var index = PolicyIndex.Of(policies);
        var contacts = action.Purpose == Purpose.MARKETING && action.ContactsCustomer;
        var deferred = trigger.Facts.TryGetValue(DecisionEngine.DeferredFact, out var deferredBy);
        var rules = FiredRules.Reused(held, 4 + (contacts ? 1 : 0) + (deferred ? 1 : 0) + candidates.Count + refusals.Count + (experiment is null ? 0 : 1),
            policies.Learning.PriorStrength);
        rules.Set(0, index.MomentRule(moment));
        rules.Set(1, index.EligibilityRule(action));
        rules.Set(2, best.Channel.Rule);
        rules.Set(3, state.Consents.TryGetValue(ConsentRecord.KeyOf(action.Purpose, channel), out var consent)
            ? $"consent: {action.Purpose} on {channel} {(consent.Granted ? "granted" : "withdrawn")} at {consent.ChangedAt:O}"
            : NeverAsked(action.Purpose, channel));
        var next = 4;
        if (contacts)
        {
            rules.Set(next++, ContactCheck.Passed(policies.ContactRules, state, channel, now));
        }
        if (deferred)
        {
            rules.Set(next++, $"deferred: {deferredBy}");
        }
        next = ExplainByScore(candidates, rules, next);
        for (var i = 0; i < refusals.Count; i++)
        {
            rules.Set(next++, refusals[i]);
        }
        if (experiment is not null)
        {
            rules.Set(next, $"experiment {experiment.Id}: variant {variant} (bucket {ExperimentAssigner.Bucket(experiment.Id, state.CustomerId)} of 100; control below {experiment.ControlShare})");
        }
        return rules;
    }

    // Each candidate's score explained, the best first (candidates of equal score in their order), from rules[next]; returns the next free place.
    private static int ExplainByScore(IReadOnlyList<Candidate> candidates, FiredRules rules, int next)
    {
        Span<int> order = candidates.Count <= 64 ? stackalloc int[candidates.Count] : new int[candidates.Count];
        for (var i = 0; i < order.Length; i++)
        {
            var at = i;
            for (; at > 0 && candidates[order[at - 1]].Score < candidates[i].Score; at--)
            {
                order[at] = order[at - 1];
            }
            order[at] = i;
        }
        foreach (var i in order)
        {
            rules.Explain(next++, candidates[i]);
        }
        return next;
    }
}
