using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniStream.ServiceDefaults.Hosting;
using OmniStream.Channels.Publishing;
using OmniStream.Gateway.Api;
using OmniStream.Gateway.Delivery;
using OmniStream.Gateway.Ingestion;
using OmniStream.Gateway.Telemetry;
using OpenTelemetry.Metrics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Http;
using OmniStream.Channels.Topics;
using OmniStream.Adapters.Segment;
using OmniStream.Gateway.Segment;
using OmniStream.Gateway.Email;
using OmniStream.Adapters.Email;
using OmniStream.Kafka;

namespace OmniStream.Gateway.Hosting;

/// <summary>
/// Builds the gateway process: webhook push (signed, retried, dead-lettered), server-sent events
/// per channel, interaction events and outcomes over HTTP, and <c>GET /health</c>, each endpoint behind its permission
/// (<c>OmniStream:Auth</c>), with an OpenAPI document. Settings are validated at start, each
/// error naming the setting.
/// </summary>
public static class GatewayApplication
{
    /// <summary>A gateway configured by <paramref name="args"/>, <c>appsettings.json</c> and the environment, then by <paramref name="configure"/>.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        LoggingDefaults.AddTo(builder.Configuration);
        configure?.Invoke(builder);
        var services = builder.Services;
        services.AddKafkaOptions();
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>>(new ProblemValidation<GatewayOptions>(options => options.Problem()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<GatewayOptions>>().Value);
        services.AddSingleton(TimeProvider.System);
        // First, so that nothing starts on brokers that lack the topics the gateway reads and writes.
        services.AddHostedService(sp => new RequiredTopicsCheck(sp.GetRequiredService<KafkaOptions>(),
            [.. TopicCatalog.AllActions.Select(t => t.Name), .. TopicCatalog.AllInteractions.Select(t => t.Name), TopicCatalog.ActionOutcomes.Name, TopicCatalog.DeadLetter.Name,
                TopicCatalog.BadRows.Name],
            "create them with 'omnistream topics apply' (the embedded cluster of 'omnistream dev-cluster' has them)"));
        services.AddSchemaRegistry(builder.Configuration).AddSerde<NextBestAction>().AddSerde<ActionOutcome>().AddSerde<InteractionEvent>();
        services.AddSingleton(sp => new OutcomeReporter(sp.GetRequiredService<KafkaOptions>(), sp.GetRequiredService<AvroSerde<ActionOutcome>>(),
            sp.GetRequiredService<TimeProvider>(), "omnistream-gateway-outcomes"));
        services.AddSingleton(sp => new ChannelPublisher(sp.GetRequiredService<KafkaOptions>(), sp.GetRequiredService<AvroSerde<InteractionEvent>>(),
            sp.GetRequiredService<TimeProvider>(), "omnistream-gateway-events"));
        services.AddSingleton<EventRateLimits>();
        services.AddSingleton<BadRowWriter>();
        services.AddSingleton<EventIngestion>();
        var segment = AddSegment(builder);
        var sendGrid = AddSendGrid(builder);
        services.AddHttpClient(WebhookSender.ClientName);
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<ActionEventHub>();
        services.AddGatewayHealthChecks();
        services.AddSingleton<GatewayMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(GatewayMetrics.MeterName).AddPrometheusExporter());
        services.AddHostedService<WebhookPusher>();
        services.AddHostedService<ActionEventFeed>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.AddOmniStreamHttp();
        builder.WebHost.UseUrls(builder.Configuration[$"{GatewayOptions.Section}:Url"] ?? new GatewayOptions().Url);

        var app = builder.Build();
        if (app.Services.GetRequiredService<GatewayOptions>().TrustedProxies is { Count: > 0 } proxies)
        {
            app.UseForwardedHeaders(TrustedProxyHeaders.Options(proxies));
        }
        app.UseCors();
        app.UseOmniStreamHttp();
        var auth = app.Services.GetRequiredService<AuthOptions>();
        app.MapActionEventEndpoints().RequirePermission(Permissions.ActionsRead, auth);
        app.MapOutcomeEndpoints().RequirePermission(Permissions.OutcomesWrite, auth);
        app.MapEventEndpoints().RequirePermission(Permissions.EventsWrite, auth);
        app.MapDialogflowEndpoints().RequirePermission(Permissions.EventsWrite, auth);
        if (segment.Sources.Count > 0)
        {
            app.MapSegmentEndpoints();
        }
        if (sendGrid.IsConfigured)
        {
            app.MapSendGridEndpoints();
        }
        app.MapGatewayHealth(auth);
        app.MapPrometheusScrapingEndpoint().RequirePermission(Permissions.Operations, auth);
        return app;
    }

    // SendGrid's signed Event Webhook: its verification key and mapping, validated at start.
    private static SendGridOptions AddSendGrid(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SendGridOptions>().BindConfiguration(SendGridMapping.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SendGridOptions>>(new ProblemValidation<SendGridOptions>(options => options.Problem()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SendGridOptions>>().Value);
        services.AddOptions<SendGridMapping>().BindConfiguration(SendGridMapping.Section);
        services.AddSingleton(sp => new SendGridAdapter(sp.GetRequiredService<IOptions<SendGridMapping>>().Value));
        services.AddSingleton<SendGridSignature>();
        return builder.Configuration.GetSection(SendGridMapping.Section).Get<SendGridOptions>() ?? new SendGridOptions();
    }

    // The Segment sources and mapping (validated at start) and the origins whose pages may call them.
    private static SegmentOptions AddSegment(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SegmentOptions>().BindConfiguration(SegmentOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SegmentOptions>>(new ProblemValidation<SegmentOptions>(options => options.Problem()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SegmentOptions>>().Value);
        services.AddOptions<SegmentMapping>().BindConfiguration(SegmentOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SegmentMapping>>(new ProblemValidation<SegmentMapping>(mapping => mapping.Problem(SegmentOptions.Section)));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SegmentMapping>>().Value);
        services.AddSingleton<SegmentWriteKeys>();
        services.AddSingleton<SegmentAdapters>();
        var segment = builder.Configuration.GetSection(SegmentOptions.Section).Get<SegmentOptions>() ?? new SegmentOptions();
        services.AddCors(cors => cors.AddPolicy(SegmentEndpoints.CorsPolicy, policy =>
        {
            _ = segment.AllowedOrigins.Contains("*") ? policy.AllowAnyOrigin() : policy.WithOrigins([.. segment.AllowedOrigins]);
            policy.WithMethods("POST").WithHeaders("Authorization", "Content-Type", "X-Retry-Count").SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        return segment;
    }
}
