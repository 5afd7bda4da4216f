using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>What became of one moment.</summary>
public enum DecisionKind
{
    /// <summary>An action goes to a channel.</summary>
    Sent,

    /// <summary>An action was chosen but withheld: the customer is in the experiment's control group.</summary>
    Withheld,

    /// <summary>Deferred to the end of the customer's quiet hours.</summary>
    Deferred,

    /// <summary>No action was eligible.</summary>
    None,
}

/// <summary>The decision of one moment (a value: the decisions of a record go into a list kept from one record to the next).</summary>
/// <param name="Moment">The moment.</param>
/// <param name="Kind">What became of it.</param>
/// <param name="Action">The action to send, when sent.</param>
/// <param name="Record">The action as recorded in the customer's state, when sent or withheld.</param>
/// <param name="DeferredUntil">When it will be decided again, when deferred.</param>
/// <param name="Refusals">Why actions were not chosen, one line per action.</param>
public readonly record struct Decision(string Moment, DecisionKind Kind, NextBestAction? Action, ActionRecord? Record, DateTime? DeferredUntil, IReadOnlyList<string> Refusals);

/// <summary>The customer's state after deciding, and the decisions made.</summary>
/// <param name="State">The state, with waiting moments, pauses and actions recorded.</param>
/// <param name="Decisions">The decisions, in the order made.</param>
public sealed record DecisionResult(CustomerState State, IReadOnlyList<Decision> Decisions);
