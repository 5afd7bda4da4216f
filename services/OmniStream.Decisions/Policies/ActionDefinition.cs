using OmniStream.Customers.Segments;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Policies;

/// <summary>An action of the catalog: what it is, to whom and where it may go, what it is worth, and what the channel renders.</summary>
/// <param name="Name">Its name in the catalog.</param>
/// <param name="Type">The kind of action channels receive.</param>
/// <param name="Purpose">The purpose it serves: marketing needs the customer's consent on the channel.</param>
/// <param name="Channel">Where it goes.</param>
/// <param name="Segments">Segments the customer must all be in.</param>
/// <param name="When">Conditions on the customer's state (<see cref="SegmentMetrics.Names"/>); all must hold.</param>
/// <param name="WhenText">The conditions as written.</param>
/// <param name="Value">Its business value: a number, or a metric of the customer's state.</param>
/// <param name="Propensity">The prior probability that it converts, before any outcome is known.</param>
/// <param name="Expiry">How long the channel may still act on it.</param>
/// <param name="Content">The content template or offer the channel renders.</param>
/// <param name="Include">Parameter sets added from the customer's state (<see cref="ActionParameters.Sets"/>).</param>
/// <param name="Parameters">Fixed parameters (an offer's code, a discount).</param>
/// <param name="Weights">Context weights: the score is multiplied by each weight whose rule holds.</param>
/// <param name="Experiment">The experiment it runs, if any.</param>
/// <param name="ContactsCustomer">False for actions for staff (a note, a callback task): caps, gaps and quiet hours do not apply.</param>
public sealed record ActionDefinition(
    string Name, ActionType Type, Purpose Purpose, ChannelRule Channel, IReadOnlyList<string> Segments,
    IReadOnlyList<SegmentCondition> When, string WhenText, ActionValue Value, double Propensity, TimeSpan Expiry, string Content,
    IReadOnlyList<string> Include, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<ContextWeight> Weights,
    ExperimentDefinition? Experiment, bool ContactsCustomer);

/// <summary>Which channel an action goes to.</summary>
/// <param name="Source"><c>last_active</c>, <c>preferred</c>, <c>trigger</c> (the event's channel), <c>ticket</c> (where the ticket was opened), or a channel's name.</param>
/// <param name="Deliverable">Channels that can carry the action; empty means any.</param>
/// <param name="Fallback">Where it goes when the chosen channel cannot carry it, or lacks consent.</param>
public sealed record ChannelRule(string Source, IReadOnlyList<Channel> Deliverable, Channel? Fallback)
{
    /// <summary>The sources a rule may name besides a channel.</summary>
    public static IReadOnlyList<string> Sources { get; } = ["last_active", "preferred", "trigger", "ticket"];
}

/// <summary>An action's business value: a fixed number, or a metric of the customer's state (e.g. <c>cart_value</c>).</summary>
/// <param name="Fixed">The number, when fixed.</param>
/// <param name="Metric">The metric, otherwise.</param>
public sealed record ActionValue(decimal? Fixed, string? Metric)
{
    /// <inheritdoc />
    public override string ToString() => Metric ?? Fixed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0";
}

/// <summary>A context weight: when the rule holds, the score is multiplied by <paramref name="Weight"/>.</summary>
/// <param name="Conditions">The rule's conditions.</param>
/// <param name="Rule">As written.</param>
/// <param name="Weight">The factor.</param>
public sealed record ContextWeight(IReadOnlyList<SegmentCondition> Conditions, string Rule, double Weight);

/// <summary>An A/B or champion/challenger test of an action: customers split by a hash of their id.</summary>
/// <param name="Id">The experiment's id.</param>
/// <param name="ControlShare">Percent of customers in the control group, who get no action.</param>
/// <param name="Variants">The variants, with their share (percent) and their content.</param>
public sealed record ExperimentDefinition(string Id, int ControlShare, IReadOnlyList<ExperimentVariant> Variants)
{
    /// <summary>The control group's variant name.</summary>
    public const string Control = "control";
}

/// <summary>One variant (arm) of an experiment.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Share">Percent of customers.</param>
/// <param name="Content">Its content, or null for the action's own.</param>
public sealed record ExperimentVariant(string Name, int Share, string? Content);
