using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Worker.Api;

/// <summary><c>GET /health</c>: 200 when every stage of this instance runs, 503 when one is starting, stopped or failed; the body says which.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps <c>GET /health</c>.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/health", (IEnumerable<StreamEngine> engines) =>
        {
            var health = WorkerHealth.Of([.. engines.Select(StageHealth.Of)]);
            return Results.Json(health, statusCode: health.IsUp ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).RequirePermission(Permissions.Health, routes.ServiceProvider.GetRequiredService<AuthOptions>());
        return routes;
    }
}
