using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Worker.Api;

/// <summary>The KPIs: <c>GET /kpis</c>, gathered from every instance, and the internal route each instance answers with its own share.</summary>
public static class KpiEndpoints
{
    /// <summary>Maps the KPI routes.</summary>
    public static IEndpointRouteBuilder MapKpiEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var auth = routes.ServiceProvider.GetRequiredService<AuthOptions>();
        // The explorer's marketing view reads the same under its own prefix, where its session cookie counts.
        foreach (var route in new[] { "/kpis", $"{CustomerEndpoints.ExplorerPrefix}/kpis" })
        {
            routes.MapGet(route, async (HttpContext context, KpiGatherer gatherer, TimeProvider time) =>
            {
                var (query, error) = KpiQuery.Parse(context.Request.Query, time.GetUtcNow().UtcDateTime);
                return query is null
                    ? BadRequest(error!)
                    : Results.Json(await gatherer.GatherAsync(query, context, context.RequestAborted).ConfigureAwait(false));
            }).RequirePermission(Permissions.KpisRead, auth);
        }
        // Asked by the other instances with the caller's own credentials: it needs the caller's permission.
        routes.MapGet(KpiGatherer.LocalPath, (HttpContext context, KpiGatherer gatherer, TimeProvider time) =>
        {
            var (query, error) = KpiQuery.Parse(context.Request.Query, time.GetUtcNow().UtcDateTime);
            return query is null ? BadRequest(error!) : Results.Json(gatherer.Local(query));
        }).RequirePermission(Permissions.KpisRead, auth);
        return routes;
    }

    private static IResult BadRequest(string error) => Results.Json(new ApiError(error), statusCode: StatusCodes.Status400BadRequest);
}
