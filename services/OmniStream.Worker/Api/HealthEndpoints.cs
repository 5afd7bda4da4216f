using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Worker.Api;

/// <summary><c>GET /health</c>: 200 when every stage of this instance runs, 503 when one is starting, stopped or failed; the body says which.</summary>
public static class HealthEndpoints
{
    /// <summary>Registers the worker's health checks (<see cref="StagesHealthCheck"/>).</summary>
    public static IServiceCollection AddWorkerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StagesHealthCheck>(StagesHealthCheck.Name);
        return services;
    }

    /// <summary>Maps <c>GET /health</c> to the health checks, answering with the stages' figures.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = (http, report) => http.Response.WriteAsJsonAsync(report.Entries[StagesHealthCheck.Name].Data[StagesHealthCheck.HealthKey]),
        }).RequirePermission(Permissions.Health, routes.ServiceProvider.GetRequiredService<AuthOptions>());
        return routes;
    }
}
