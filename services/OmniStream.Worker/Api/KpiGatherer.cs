using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OmniStream.Customers.Kpis;
using OmniStream.ServiceDefaults.Http;
using OmniStream.Streaming.Queries;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Api;

/// <summary>
/// Answers KPI requests from every instance's share of the KPI store: this instance reads its own
/// partitions and asks each other instance that owns some for its share; each partition is taken
/// from one answer, and partitions nobody answered for are reported missing.
/// </summary>
public sealed class KpiGatherer(StoreQueries queries, IHttpClientFactory http, IOptions<JsonOptions> json)
{
    /// <summary>The internal route where an instance gives its own share.</summary>
    public const string LocalPath = "/internal/kpis";

    /// <summary>This instance's share of the cells <paramref name="query"/> asks for.</summary>
    public LocalKpis Local(KpiQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var cells = new List<LocalKpiCell>();
        foreach (var (partition, key, value) in queries.ReadLocal(WorkerTopology.KpisStage, WorkerTopology.KpisStore))
        {
            var text = Encoding.UTF8.GetString(key);
            if (query.Matches(KpiCell.Parse(text)))
            {
                cells.Add(new LocalKpiCell(partition, text, KpiCodec.DecodeCounts(value)));
            }
        }
        return new LocalKpis(queries.LocalPartitions(WorkerTopology.KpisStage), cells);
    }

    /// <summary>The cells <paramref name="query"/> asks for, from every instance; <paramref name="request"/>'s query and credentials are passed on to the others.</summary>
    public async Task<KpiReport> GatherAsync(KpiQuery query, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var others = await Task.WhenAll(queries.OtherEndpoints(WorkerTopology.KpisStage)
            .Select(endpoint => AskAsync(endpoint, request, cancellationToken))).ConfigureAwait(false);
        var covered = new HashSet<int>();
        var rows = new List<KpiRow>();
        foreach (var share in others.Prepend(Local(query)).OfType<LocalKpis>())
        {
            var taken = share.Partitions.Where(covered.Add).ToHashSet();
            rows.AddRange(share.Cells.Where(c => taken.Contains(c.Partition)).Select(c =>
            {
                var cell = KpiCell.Parse(c.Cell);
                return new KpiRow(cell.Window, cell.Start, cell.Scope.ToString(), c.Counts);
            }));
        }
        var missing = Enumerable.Range(0, queries.Partitions(WorkerTopology.KpisStage)).Where(p => !covered.Contains(p)).ToList();
        var ordered = rows.OrderBy(r => r.Window).ThenByDescending(r => r.WindowStart).ThenBy(r => r.Scope, StringComparer.Ordinal).ToList();
        return new KpiReport(missing.Count == 0, missing, ordered);
    }

    // An instance that does not answer leaves its partitions missing from the report.
    private async Task<LocalKpis?> AskAsync(string endpoint, HttpRequest caller, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(endpoint), LocalPath + caller.QueryString.Value));
        ForwardedCredentials.CopyTo(caller, request);
        try
        {
            using var response = await http.CreateClient(CustomerLookup.ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync<LocalKpis>(json.Value.SerializerOptions, cancellationToken).ConfigureAwait(false)
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
