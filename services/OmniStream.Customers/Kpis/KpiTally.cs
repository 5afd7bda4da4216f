namespace OmniStream.Customers.Kpis;

/// <summary>Counts being summed in place (one cell's, while a commit gathers them).</summary>
public sealed class KpiTally
{
    private long _journeys, _conversions, _npsResponses, _promoters, _detractors, _cesResponses, _cesSum, _actionsSent, _actionsConverted, _actionsWithheld, _segmentEntries, _segmentExits;

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
        _segmentEntries += counts.SegmentEntries;
        _segmentExits += counts.SegmentExits;
    }

    /// <summary>Adds a segment's entries and exits alone (without the allocation of a <see cref="KpiCounts"/>).</summary>
    public void AddSegmentMoves(long entries, long exits)
    {
        _segmentEntries += entries;
        _segmentExits += exits;
    }

    /// <summary>Adds counts in <see cref="KpiCodec"/>'s binary order (journeys first, segment exits last; the two segment counts may be absent).</summary>
    public void Add(ReadOnlySpan<long> counts)
    {
        if (counts.Length is not (KpiCodec.CountsBefore or KpiCodec.Counts))
        {
            throw new ArgumentException($"KPI counts are {KpiCodec.CountsBefore} or {KpiCodec.Counts} numbers, not {counts.Length}", nameof(counts));
        }
        _journeys += counts[0];
        _conversions += counts[1];
        _npsResponses += counts[2];
        _promoters += counts[3];
        _detractors += counts[4];
        _cesResponses += counts[5];
        _cesSum += counts[6];
        _actionsSent += counts[7];
        _actionsConverted += counts[8];
        _actionsWithheld += counts[9];
        if (counts.Length == KpiCodec.Counts)
        {
            _segmentEntries += counts[10];
            _segmentExits += counts[11];
        }
    }

    /// <summary>Starts again from zero.</summary>
    public void Clear() =>
        (_journeys, _conversions, _npsResponses, _promoters, _detractors, _cesResponses, _cesSum, _actionsSent, _actionsConverted, _actionsWithheld, _segmentEntries, _segmentExits) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Writes the sum so far into <paramref name="counts"/> (twelve), in <see cref="KpiCodec"/>'s binary order.</summary>
    public void CopyTo(Span<long> counts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(counts.Length, KpiCodec.Counts, nameof(counts));
        (counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]) = (_journeys, _conversions, _npsResponses, _promoters, _detractors, _cesResponses);
        (counts[6], counts[7], counts[8], counts[9], counts[10], counts[11]) = (_cesSum, _actionsSent, _actionsConverted, _actionsWithheld, _segmentEntries, _segmentExits);
    }

    /// <summary>The sum so far.</summary>
    public KpiCounts Counts => new(_journeys, _conversions, _npsResponses, _promoters, _detractors, _cesResponses, _cesSum, _actionsSent, _actionsConverted, _actionsWithheld,
        _segmentEntries, _segmentExits);
}
