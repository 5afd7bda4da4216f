namespace OmniStream.Customers.Kpis;

/// <summary>Counts being summed in place (one cell's, while a commit gathers them).</summary>
public sealed class KpiTally
{
    private long _journeys, _conversions, _npsResponses, _promoters, _detractors, _cesResponses, _cesSum, _actionsSent, _actionsConverted, _actionsWithheld;

    /// <summary>Adds <paramref name="counts"/>.</summary>
    public void Add(KpiCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        _journeys += counts.Journeys;
        _conversions += counts.Conversions;
        _npsResponses += counts.NpsResponses;
        _promoters += counts.Promoters;
        _detractors += counts.Detractors;
        _cesResponses += counts.CesResponses;
        _cesSum += counts.CesSum;
        _actionsSent += counts.ActionsSent;
        _actionsConverted += counts.ActionsConverted;
        _actionsWithheld += counts.ActionsWithheld;
    }

    /// <summary>The sum so far.</summary>
    public KpiCounts Counts => new(_journeys, _conversions, _npsResponses, _promoters, _detractors, _cesResponses, _cesSum, _actionsSent, _actionsConverted, _actionsWithheld);
}
