using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Worker.Api;

/// <summary>The answer of <c>GET /kpis</c>.</summary>
/// <param name="Complete">False when some partitions of the KPI store had no owner that answered (a rebalance, an instance down): the figures then miss their cells.</param>
/// <param name="MissingPartitions">Those partitions.</param>
/// <param name="Kpis">The cells asked for, by window length, newest window first, then scope.</param>
/// <param name="Segments">The members of each segment asked for (dimension segment or none, or a segment's scope), by name.</param>
public sealed record KpiReport(bool Complete, IReadOnlyList<int> MissingPartitions, IReadOnlyList<KpiRow> Kpis, IReadOnlyList<SegmentSize> Segments);

/// <summary>How many customers a segment holds now, and all who ever came into it and left it.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Counts">Its entries and exits since they were first counted.</param>
public sealed record SegmentSize(string Segment, [property: System.Text.Json.Serialization.JsonIgnore] KpiCounts Counts)
{
    /// <summary>Customers in the segment now.</summary>
    public long Members => SegmentMembers.Of(Counts);

    /// <summary>Entries into the segment, ever.</summary>
    public long Entries => Counts.SegmentEntries;

    /// <summary>Exits from the segment, ever.</summary>
    public long Exits => Counts.SegmentExits;
}

/// <summary>The figures of one scope over one window.</summary>
/// <param name="Window">The window length.</param>
/// <param name="WindowStart">Its start.</param>
/// <param name="Scope">The scope (<c>all</c>, <c>channel:WEB</c>, <c>segment:vip</c>, <c>action:CART_REMINDER/none</c>).</param>
/// <param name="Counts">The counts.</param>
public sealed record KpiRow(KpiWindow Window, DateTime WindowStart, string Scope, KpiCounts Counts)
{
    /// <summary>Conversions per journey.</summary>
    public double? ConversionRate => Counts.ConversionRate;

    /// <summary>Net promoter score.</summary>
    public double? Nps => Counts.Nps;

    /// <summary>Average customer effort score.</summary>
    public double? CesAverage => Counts.CesAverage;

    /// <summary>Converted actions per action sent.</summary>
    public double? ActionConversionRate => Counts.ActionConversionRate;
}

/// <summary>What one instance holds of the KPI store (<c>GET /internal/kpis</c>), for the instance that gathers.</summary>
/// <param name="Partitions">The partitions it owns.</param>
/// <param name="Cells">The cells asked for in those partitions.</param>
/// <param name="Members">The segments' members asked for in those partitions (null from an instance that predates them).</param>
public sealed record LocalKpis(IReadOnlyList<int> Partitions, IReadOnlyList<LocalKpiCell> Cells, IReadOnlyList<LocalSegmentMembers>? Members);

/// <summary>One cell of one partition.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Cell">The cell (text form of <see cref="KpiCell"/>).</param>
/// <param name="Counts">Its counts.</param>
public sealed record LocalKpiCell(int Partition, string Cell, KpiCounts Counts);

/// <summary>One segment's members counted in one partition.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Segment">The segment.</param>
/// <param name="Counts">Its entries and exits.</param>
public sealed record LocalSegmentMembers(int Partition, string Segment, KpiCounts Counts);
