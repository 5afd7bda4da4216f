using System.Globalization;
using System.Text;
using System.Text.Unicode;
using OmniStream.Decisions.Learning;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Wire;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// An eligible action of a moment, with its score = propensity × value × context weight. Written into again by the
/// next record's decisions (<see cref="DecisionList"/>): an action explains its candidates when it is encoded, before that.
/// </summary>
internal sealed class Candidate
{
    /// <summary>The action.</summary>
    public ActionDefinition Action { get; private set; } = null!;

    /// <summary>Where it would go.</summary>
    public ChannelChoice Channel { get; private set; } = null!;

    /// <summary>The learning arm it counts under.</summary>
    public string Arm { get; private set; } = "";

    /// <summary>What is known of that arm.</summary>
    public ArmStats Stats { get; private set; }

    /// <summary>The propensity drawn for this decision.</summary>
    public double Propensity { get; private set; }

    /// <summary>Its business value for this customer.</summary>
    public double Value { get; private set; }

    /// <summary>The product of the context weights that hold.</summary>
    public double Weight { get; private set; }

    /// <summary>Sets every member; returns this candidate.</summary>
    public Candidate Set(ActionDefinition action, ChannelChoice channel, string arm, ArmStats stats, double propensity, double value, double weight)
    {
        (Action, Channel, Arm, Stats, Propensity, Value, Weight) = (action, channel, arm, stats, propensity, value, weight);
        return this;
    }

    public double Score => Propensity * Value * Weight;

    /// <summary>What <paramref name="action"/> is worth for a customer of <paramref name="figures"/>: its fixed value, or the figure it names (0 when unknown).</summary>
    public static double ValueOf(ActionDefinition action, in Customers.Segments.CustomerFigures figures) =>
        (double)(action.Value.Fixed ?? figures.Get(action.Value.Metric!) ?? 0m);

    /// <summary>How the score came about, for people.</summary>
    public string Explain(double priorStrength)
    {
        Span<byte> buffer = stackalloc byte[512];
        return Encoding.UTF8.GetString(Explained(buffer, priorStrength));
    }

    /// <summary>Writes <see cref="Explain"/>'s text as an Avro string, without making it a string.</summary>
    public void WriteExplanation(ref AvroWriter writer, double priorStrength)
    {
        Span<byte> buffer = stackalloc byte[512];
        writer.WriteBytes(Explained(buffer, priorStrength));
    }

    // The explanation in UTF-8, in buffer when it fits (names of actions and arms are the policies': rarely long).
    private ReadOnlySpan<byte> Explained(Span<byte> buffer, double priorStrength)
    {
        int written;
        while (!Utf8.TryWrite(buffer, CultureInfo.InvariantCulture,
            $"score {Action.Name}: {Score:0.####} = propensity {Propensity:0.####} (prior {Action.Propensity}, posterior mean {PropensitySampler.Mean(Action.Propensity, priorStrength, Stats):0.####} after {Stats.Sent} sent, {Stats.Converted} converted, arm {Arm}) × value {Value:0.##} ({Action.Value}) × weight {Weight:0.##}",
            out written))
        {
            buffer = new byte[buffer.Length * 2];
        }
        return buffer[..written];
    }
}
