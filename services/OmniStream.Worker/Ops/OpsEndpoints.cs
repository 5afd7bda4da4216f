using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Worker.Ops;

/// <summary>
/// The ops page: <c>GET /ops</c> and its script and style (built into the worker, nothing from a CDN),
/// <c>GET /ops/snapshot</c> with every instance's figures, and the internal route where each instance
/// gives its own; all behind the <c>ops</c> permission.
/// </summary>
public static class OpsEndpoints
{
    // The page runs only its own script and talks only to this origin.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly (string Route, string Resource, string ContentType)[] Assets =
    [
        ("/ops", "ops.html", "text/html; charset=utf-8"),
        ("/ops/ops.js", "ops.js", "text/javascript; charset=utf-8"),
        ("/ops/ops.css", "ops.css", "text/css; charset=utf-8"),
    ];

    /// <summary>Maps the ops routes.</summary>
    public static IEndpointRouteBuilder MapOpsEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var auth = routes.ServiceProvider.GetRequiredService<AuthOptions>();
        foreach (var (route, resource, contentType) in Assets)
        {
            var bytes = Read(resource);
            routes.MapGet(route, (HttpContext context) =>
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Bytes(bytes, contentType);
            }).RequirePermission(Permissions.Operations, auth);
        }
        routes.MapGet("/ops/snapshot", async (HttpContext context, OpsGatherer gatherer) =>
            Results.Json(await gatherer.GatherAsync(context.User, context.RequestAborted).ConfigureAwait(false)))
            .RequirePermission(Permissions.Operations, auth);
        // Asked by the other instances with the caller's own credentials: it needs the caller's permission.
        routes.MapGet(OpsGatherer.LocalPath, (OpsGatherer gatherer) => Results.Json(gatherer.Local()))
            .RequirePermission(Permissions.Operations, auth);
        return routes;
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(OpsEndpoints).Assembly.GetManifestResourceStream($"ops/{resource}")
            ?? throw new InvalidOperationException($"the worker was built without its ops asset '{resource}'");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
