using System.Security.Claims;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Api;

namespace OmniStream.Worker.Ops;

/// <summary>
/// Builds the ops page's data: this instance's view, and the views of the other instances the
/// instance directory knows, asked on the caller's behalf; an instance that does not
/// answer in time is listed with the reason.
/// </summary>
public sealed class OpsGatherer(IEnumerable<StreamEngine> engines, InstanceDirectory directory, OpsHistory history, StreamOptions stream,
    OpsOptions options, PeerRequests peers, TimeProvider time)
{
    /// <summary>The internal route where an instance gives its own view.</summary>
    public const string LocalPath = "/internal/ops";

    /// <summary>This instance's own view.</summary>
    public OpsInstanceView Local() => history.View(stream.InstanceId);

    /// <summary>Every instance's view, the others asked on <paramref name="caller"/>'s behalf.</summary>
    public async Task<OpsView> GatherAsync(ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var announcements = engines.SelectMany(e => directory.InStage(e.Stage)).ToList();
        var others = announcements.Where(a => a.Instance != stream.InstanceId)
            .GroupBy(a => a.Instance)
            .Select(g => (Instance: g.Key, Endpoint: g.MaxBy(a => a.At)!.Endpoint))
            .ToList();
        var answers = await Task.WhenAll(others.Select(o => peers.GetAsync<OpsInstanceView>(o.Instance, o.Endpoint, LocalPath, caller, options.PeerTimeout, cancellationToken)))
            .ConfigureAwait(false);
        var errors = others.Zip(answers).ToDictionary(p => p.First.Instance, p => p.Second.Error);
        var instances = announcements.Select(a => (a.Instance, a.Endpoint))
            .Append((Instance: stream.InstanceId, Endpoint: stream.Endpoint ?? ""))
            .GroupBy(a => a.Instance)
            .Select(g => new OpsInstance(g.Key, g.First().Endpoint,
                announcements.Where(a => a.Instance == g.Key).GroupBy(a => a.Stage)
                    .ToDictionary(s => s.Key, s => (IReadOnlyList<string>)s.MaxBy(a => a.At)!.Partitions),
                errors.GetValueOrDefault(g.Key) is null, errors.GetValueOrDefault(g.Key)))
            .OrderBy(i => i.Instance, StringComparer.Ordinal)
            .ToList();
        return new OpsView(stream.ApplicationId, stream.InstanceId, time.GetUtcNow().UtcDateTime, instances,
            [Local(), .. answers.Select(a => a.Value).OfType<OpsInstanceView>()]);
    }
}
