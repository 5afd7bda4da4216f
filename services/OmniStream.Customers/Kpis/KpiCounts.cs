using System.Text.Json.Serialization;

namespace OmniStream.Customers.Kpis;

/// <summary>
/// The counts behind the KPIs of one scope over one window. Counts add up, so partial counts made
/// anywhere (one task, one commit) sum to the figures of the whole. Segment entries and exits count
/// in segment scopes only: customers who came into and left the segment in the window.
/// </summary>
public sealed record KpiCounts(
    long Journeys = 0,
    long Conversions = 0,
    long NpsResponses = 0,
    long Promoters = 0,
    long Detractors = 0,
    long CesResponses = 0,
    long CesSum = 0,
    long ActionsSent = 0,
    long ActionsConverted = 0,
    long ActionsWithheld = 0,
    long SegmentEntries = 0,
    long SegmentExits = 0)
{
    /// <summary>Nothing counted.</summary>
    public static KpiCounts Zero { get; } = new();

    /// <summary>The sum of both.</summary>
    public KpiCounts Plus(KpiCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Journeys + other.Journeys, Conversions + other.Conversions, NpsResponses + other.NpsResponses,
            Promoters + other.Promoters, Detractors + other.Detractors, CesResponses + other.CesResponses, CesSum + other.CesSum,
            ActionsSent + other.ActionsSent, ActionsConverted + other.ActionsConverted, ActionsWithheld + other.ActionsWithheld,
            SegmentEntries + other.SegmentEntries, SegmentExits + other.SegmentExits);
    }

    /// <summary>Conversions per journey; null without journeys.</summary>
    [JsonIgnore]
    public double? ConversionRate => Ratio(Conversions, Journeys);

    /// <summary>Net promoter score, 100 × (promoters − detractors) / answers; null without answers.</summary>
    [JsonIgnore]
    public double? Nps => NpsResponses == 0 ? null : 100.0 * (Promoters - Detractors) / NpsResponses;

    /// <summary>Average customer effort score; null without answers.</summary>
    [JsonIgnore]
    public double? CesAverage => Ratio(CesSum, CesResponses);

    /// <summary>Converted actions per action decided (sent, or withheld from a control group); null without actions.</summary>
    [JsonIgnore]
    public double? ActionConversionRate => Ratio(ActionsConverted, ActionsSent + ActionsWithheld);

    private static double? Ratio(long part, long whole) => whole == 0 ? null : (double)part / whole;
}
