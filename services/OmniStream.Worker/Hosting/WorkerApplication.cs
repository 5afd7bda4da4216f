using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.ServiceDefaults.Hosting;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Http;
using OmniStream.Worker.Api;
using OmniStream.Worker.Explorer;
using OmniStream.Worker.Ops;

namespace OmniStream.Worker.Hosting;

/// <summary>Builds the worker process: the stages on their engines and the HTTP API (authenticated, with an OpenAPI document), from one configuration.</summary>
public static class WorkerApplication
{
    /// <summary>
    /// A worker application configured by <paramref name="args"/> and the usual sources
    /// (<c>appsettings.json</c>, environment), then by <paramref name="configure"/>.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, bool defaults = true)
    {
        var builder = defaults
            ? WebApplication.CreateBuilder(args)
            : WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = args });
        LoggingDefaults.AddTo(builder.Configuration);
        if (!defaults)
        {
            builder.WebHost.UseKestrelCore();
            builder.Services.AddRoutingCore().AddLogging();
        }
        configure?.Invoke(builder);
        builder.AddOmniStreamWorker();
        builder.AddOmniStreamHttp();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddWorkerHealthChecks();
        builder.AddExplorerSignIn();
        var url = builder.Configuration[$"{ApiOptions.Section}:Url"] ?? new ApiOptions().Url;
        builder.WebHost.UseUrls(url);
        // Other instances forward to this API unless the endpoint is configured apart (behind a proxy, a wildcard address).
        builder.Configuration["OmniStream:Stream:Endpoint"] ??= url;
        var app = builder.Build();
        app.UseOmniStreamHttp();
        app.MapCustomerEndpoints();
        app.MapPrivacyEndpoints();
        app.MapKpiEndpoints();
        app.MapHealthEndpoints();
        app.MapOpsEndpoints();
        app.MapExplorerEndpoints();
        app.MapPrometheusScrapingEndpoint().RequirePermission(Permissions.Operations, app.Services.GetRequiredService<AuthOptions>());
        return app;
    }
}
