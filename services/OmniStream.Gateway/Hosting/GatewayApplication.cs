using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniStream.Channels.Publishing;
using OmniStream.Gateway.Api;
using OmniStream.Gateway.Delivery;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Hosting;

namespace OmniStream.Gateway.Hosting;

/// <summary>
/// Builds the gateway process: webhook push (signed, retried, dead-lettered), server-sent events
/// per channel, outcomes over HTTP, and <c>GET /health</c>. Settings are validated at start, each
/// error naming the setting.
/// </summary>
public static class GatewayApplication
{
    /// <summary>A gateway configured by <paramref name="args"/>, <c>appsettings.json</c> and the environment, then by <paramref name="configure"/>.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var services = builder.Services;
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<KafkaOptions>>().Value);
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>>(new ProblemValidation<GatewayOptions>(options => options.Problem()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<GatewayOptions>>().Value);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new AvroSerde<NextBestAction>(SchemaCatalog.Default));
        services.AddSingleton(sp => new OutcomeReporter(sp.GetRequiredService<KafkaOptions>(), new AvroSerde<ActionOutcome>(SchemaCatalog.Default),
            sp.GetRequiredService<TimeProvider>(), "omnistream-gateway-outcomes"));
        services.AddHttpClient(WebhookSender.ClientName);
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<ActionEventHub>();
        services.AddHostedService<WebhookPusher>();
        services.AddHostedService<ActionEventFeed>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.WebHost.UseUrls(builder.Configuration[$"{GatewayOptions.Section}:Url"] ?? new GatewayOptions().Url);

        var app = builder.Build();
        app.MapActionEventEndpoints();
        app.MapOutcomeEndpoints();
        app.MapGet("/health", (ActionEventHub hub) => hub.IsReady
            ? Results.Ok(new { status = "ready" })
            : Results.Json(new { status = "starting: not yet reading the actions topics" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
