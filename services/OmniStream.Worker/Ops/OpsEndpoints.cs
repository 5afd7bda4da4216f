using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Worker.Hosting;

namespace OmniStream.Worker.Ops;

/// <summary>
/// The ops page: <c>GET /ops</c> and its script and style (built into the worker, nothing from a CDN),
/// <c>GET /ops/snapshot</c> with every instance's figures, and the internal route where each instance
/// gives its own; all behind the <c>ops</c> permission.
/// </summary>
public static class OpsEndpoints
{
    private static readonly (string Route, string Resource)[] Assets =
    [
        ("/ops", "ops/ops.html"),
        ("/ops/ops.js", "ops/ops.js"),
        ("/ops/ops.css", "ops/ops.css"),
    ];

    /// <summary>Maps the ops routes.</summary>
    public static IEndpointRouteBuilder MapOpsEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var auth = routes.ServiceProvider.GetRequiredService<AuthOptions>();
        foreach (var (route, resource) in Assets)
        {
            routes.MapAsset(route, resource).RequirePermission(Permissions.Operations, auth);
        }
        routes.MapGet("/ops/snapshot", async (HttpContext context, OpsGatherer gatherer) =>
            Results.Json(await gatherer.GatherAsync(context.User, context.RequestAborted).ConfigureAwait(false)))
            .RequirePermission(Permissions.Operations, auth);
        // Asked by the other instances with the caller's own credentials: it needs the caller's permission.
        routes.MapGet(OpsGatherer.LocalPath, (OpsGatherer gatherer) => Results.Json(gatherer.Local()))
            .RequirePermission(Permissions.Operations, auth);
        return routes;
    }
}
