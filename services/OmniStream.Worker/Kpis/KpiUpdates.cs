using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Worker.Kpis;

/// <summary>The published form of a cell's counts.</summary>
public static class KpiUpdates
{
    /// <summary>The update of <paramref name="cell"/> now that its counts are <paramref name="counts"/>.</summary>
    public static KpiUpdate Of(KpiCell cell, KpiCounts counts, DateTime updatedAt)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new KpiUpdate
        {
            window = cell.Window,
            windowStart = cell.Start,
            dimension = cell.Scope.Dimension,
            dimensionValue = cell.Scope.Value,
            journeys = counts.Journeys,
            conversions = counts.Conversions,
            conversionRate = counts.ConversionRate,
            npsResponses = counts.NpsResponses,
            promoters = counts.Promoters,
            detractors = counts.Detractors,
            nps = counts.Nps,
            cesResponses = counts.CesResponses,
            cesAverage = counts.CesAverage,
            actionsSent = counts.ActionsSent,
            actionsConverted = counts.ActionsConverted,
            actionConversionRate = counts.ActionConversionRate,
            actionsWithheld = counts.ActionsWithheld,
            segmentEntries = counts.SegmentEntries,
            segmentExits = counts.SegmentExits,
            updatedAt = updatedAt,
        };
    }
}
