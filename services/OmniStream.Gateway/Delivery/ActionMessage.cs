using OmniStream.Schemas.Contracts;

namespace OmniStream.Gateway.Delivery;

/// <summary>A next best action as JSON for webhooks and server-sent events: the fields of <see cref="NextBestAction"/>, camel-cased.</summary>
public sealed record ActionMessage(
    Guid ActionId, string CustomerId, Channel Channel, ActionType ActionType, string ContentRef, IDictionary<string, string> Parameters,
    double Score, IList<string> ReasonCodes, IList<string> RulesFired, string? ExperimentId, string? Variant, Guid? TriggerEventId,
    DateTime TriggeredAt, DateTime DecidedAt, DateTime ExpiresAt, string? TraceParent)
{
    /// <summary>The message of <paramref name="action"/>.</summary>
    public static ActionMessage Of(NextBestAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new(action.actionId, action.customerId, action.channel, action.actionType, action.contentRef, action.parameters, action.score,
            action.reasonCodes, action.rulesFired, action.experiment?.experimentId, action.experiment?.variant, action.triggerEventId,
            action.triggeredAt, action.decidedAt, action.expiresAt, action.traceParent);
    }
}
