using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OmniStream.Gateway.Delivery;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Gateway.Api;

/// <summary><c>GET /health</c> of the gateway (ASP.NET Core health checks): 200 <c>ready</c> once it reads the actions topics, 503 before.</summary>
public static class HealthEndpoints
{
    private const string ActionFeed = "action-feed";

    /// <summary>Registers the gateway's health check: its action feed reads the actions topics.</summary>
    public static IServiceCollection AddGatewayHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ActionFeedHealthCheck>(ActionFeed);
        return services;
    }

    /// <summary>Maps <c>GET /health</c>: <c>{"status": "ready"}</c>, or what it waits for.</summary>
    public static IEndpointRouteBuilder MapGatewayHealth(this IEndpointRouteBuilder routes, AuthOptions auth)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = (http, report) => http.Response.WriteAsJsonAsync(new { status = report.Entries[ActionFeed].Description }),
        }).RequirePermission(Permissions.Health, auth);
        return routes;
    }

    /// <summary>Healthy once the action feed reads the actions topics.</summary>
    private sealed class ActionFeedHealthCheck(ActionEventHub hub) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(hub.IsReady ? HealthCheckResult.Healthy("ready") : HealthCheckResult.Unhealthy("starting: not yet reading the actions topics"));
    }
}
