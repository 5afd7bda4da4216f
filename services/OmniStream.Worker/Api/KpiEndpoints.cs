using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OmniStream.Worker.Api;

/// <summary>The KPIs: <c>GET /kpis</c>, gathered from every instance, and the internal route each instance answers with its own share.</summary>
public static class KpiEndpoints
{
    /// <summary>Maps the KPI routes.</summary>
    public static IEndpointRouteBuilder MapKpiEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/kpis", async (HttpContext context, KpiGatherer gatherer, TimeProvider time) =>
        {
            var (query, error) = KpiQuery.Parse(context.Request.Query, time.GetUtcNow().UtcDateTime);
            return query is null
                ? BadRequest(error!)
                : Results.Json(await gatherer.GatherAsync(query, context.Request.QueryString.Value ?? "", context.RequestAborted).ConfigureAwait(false));
        });
        routes.MapGet(KpiGatherer.LocalPath, (HttpContext context, KpiGatherer gatherer, TimeProvider time) =>
        {
            var (query, error) = KpiQuery.Parse(context.Request.Query, time.GetUtcNow().UtcDateTime);
            return query is null ? BadRequest(error!) : Results.Json(gatherer.Local(query));
        });
        return routes;
    }

    private static IResult BadRequest(string error) => Results.Json(new ApiError(error), statusCode: StatusCodes.Status400BadRequest);
}
