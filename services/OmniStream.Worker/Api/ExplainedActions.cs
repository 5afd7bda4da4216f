using OmniStream.Schemas.Contracts;

namespace OmniStream.Worker.Api;

/// <summary>The answer of <c>GET /customers/{id}/actions/explained</c>.</summary>
/// <param name="Complete">False when the actions topics could not be read to their end in time.</param>
/// <param name="Actions">The customer's actions on the actions topics, oldest first.</param>
public sealed record ExplainedActions(bool Complete, IReadOnlyList<ExplainedAction> Actions);

/// <summary>An action as channels received it, with why it was chosen.</summary>
/// <param name="ActionId">The action.</param>
/// <param name="Channel">Where it went.</param>
/// <param name="ActionType">Its kind.</param>
/// <param name="ContentRef">Its content.</param>
/// <param name="Score">Its score.</param>
/// <param name="ReasonCodes">Its reason codes.</param>
/// <param name="RulesFired">Every rule that led to it (moment, eligibility, channel, contact rules, score, the actions not chosen).</param>
/// <param name="Variant">Its experiment variant, if any.</param>
/// <param name="DecidedAt">When it was decided.</param>
public sealed record ExplainedAction(Guid ActionId, Channel Channel, ActionType ActionType, string ContentRef, double Score,
    IReadOnlyList<string> ReasonCodes, IReadOnlyList<string> RulesFired, string? Variant, DateTime DecidedAt)
{
    /// <summary>The explanation of <paramref name="action"/>.</summary>
    public static ExplainedAction Of(NextBestAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new(action.actionId, action.channel, action.actionType, action.contentRef, action.score, [.. action.reasonCodes], [.. action.rulesFired],
            action.experiment?.variant, action.decidedAt);
    }
}
