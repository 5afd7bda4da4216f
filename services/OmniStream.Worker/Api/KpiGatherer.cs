using System.Text;
using Microsoft.AspNetCore.Http;
using OmniStream.Customers.Kpis;
using OmniStream.Streaming.Queries;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Api;

/// <summary>
/// Answers KPI requests from every instance's share of the KPI store: this instance reads its own
/// partitions and asks each other instance that owns some for its share; each partition is taken
/// from one answer, and partitions nobody answered for are reported missing.
/// </summary>
public sealed class KpiGatherer(StoreQueries queries, PeerRequests peers)
{
    /// <summary>The internal route where an instance gives its own share.</summary>
    public const string LocalPath = "/internal/kpis";

    /// <summary>This instance's share of the cells <paramref name="query"/> asks for.</summary>
    public LocalKpis Local(KpiQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var cells = new List<LocalKpiCell>();
        var members = new List<LocalSegmentMembers>();
        foreach (var (partition, key, value) in queries.ReadLocal(WorkerTopology.KpisStage, WorkerTopology.KpisStore))
        {
            if (SegmentMembers.IsKey(key))
            {
                var segment = SegmentMembers.ScopeOf(key);
                if (query.Matches(segment))
                {
                    members.Add(new LocalSegmentMembers(partition, segment.Value, KpiCodec.DecodeCounts(value)));
                }
                continue;
            }
            var text = Encoding.UTF8.GetString(key);
            if (query.Matches(KpiCell.Parse(text)))
            {
                cells.Add(new LocalKpiCell(partition, text, KpiCodec.DecodeCounts(value)));
            }
        }
        return new LocalKpis(queries.LocalPartitions(WorkerTopology.KpisStage), cells, members);
    }

    /// <summary>The cells <paramref name="query"/> asks for, from every instance; the others are asked <paramref name="context"/>'s query on its caller's behalf.</summary>
    public async Task<KpiReport> GatherAsync(KpiQuery query, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // An instance that does not answer leaves its partitions missing from the report.
        var others = await Task.WhenAll(queries.OtherInstances(WorkerTopology.KpisStage)
            .Select(other => peers.GetAsync<LocalKpis>(other.Instance, other.Endpoint, LocalPath + context.Request.QueryString.Value, context.User, null, cancellationToken)))
            .ConfigureAwait(false);
        var covered = new HashSet<int>();
        var rows = new List<KpiRow>();
        var segments = new List<SegmentSize>();
        foreach (var share in others.Select(o => o.Value).Prepend(Local(query)).OfType<LocalKpis>())
        {
            var taken = share.Partitions.Where(covered.Add).ToHashSet();
            // An instance of a version before segments' members answers without them.
            segments.AddRange((share.Members ?? []).Where(m => taken.Contains(m.Partition)).Select(m => new SegmentSize(m.Segment, m.Counts)));
            rows.AddRange(share.Cells.Where(c => taken.Contains(c.Partition)).Select(c =>
            {
                var cell = KpiCell.Parse(c.Cell);
                return new KpiRow(cell.Window, cell.Start, cell.Scope.ToString(), c.Counts);
            }));
        }
        var missing = Enumerable.Range(0, queries.Partitions(WorkerTopology.KpisStage)).Where(p => !covered.Contains(p)).ToList();
        var ordered = rows.OrderBy(r => r.Window).ThenByDescending(r => r.WindowStart).ThenBy(r => r.Scope, StringComparer.Ordinal).ToList();
        return new KpiReport(missing.Count == 0, missing, ordered, [.. segments.OrderBy(s => s.Segment, StringComparer.Ordinal)]);
    }
}
