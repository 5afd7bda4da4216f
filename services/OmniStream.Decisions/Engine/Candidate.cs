using System.Globalization;
using OmniStream.Decisions.Learning;
using OmniStream.Decisions.Policies;

namespace OmniStream.Decisions.Engine;

/// <summary>An eligible action of a moment, with its score = propensity × value × context weight.</summary>
/// <param name="Action">The action.</param>
/// <param name="Channel">Where it would go.</param>
/// <param name="Arm">The learning arm it counts under.</param>
/// <param name="Stats">What is known of that arm.</param>
/// <param name="Propensity">The propensity drawn for this decision.</param>
/// <param name="Value">Its business value for this customer.</param>
/// <param name="Weight">The product of the context weights that hold.</param>
internal sealed record Candidate(ActionDefinition Action, ChannelChoice Channel, string Arm, ArmStats Stats, double Propensity, double Value, double Weight)
{
    public double Score => Propensity * Value * Weight;

    public string Explain(double priorStrength) =>
        string.Create(CultureInfo.InvariantCulture, $"score {Action.Name}: {Score:0.####} = propensity {Propensity:0.####} (prior {Action.Propensity}, posterior mean {PropensitySampler.Mean(Action.Propensity, priorStrength, Stats):0.####} after {Stats.Sent} sent, {Stats.Converted} converted, arm {Arm}) × value {Value:0.##} ({Action.Value}) × weight {Weight:0.##}");
}
