using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Privacy;

namespace OmniStream.ServiceDefaults.Http;

/// <summary>What every OmniStream HTTP service adds: authentication and permissions, body limits, the audit log, the OpenAPI document.</summary>
public static class HttpDefaults
{
    /// <summary>The address of the OpenAPI document.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>Adds the services: <c>OmniStream:Auth</c> and <c>OmniStream:Http</c> settings, validated at start.</summary>
    public static IHostApplicationBuilder AddOmniStreamHttp(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddOmniStreamAuth();
        builder.Services.AddOptions<HttpLimits>().BindConfiguration(HttpLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<HttpLimits>>().Value);
        builder.Services.TryAddSingleton(_ => Pseudonyms.From(builder.Configuration));
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<SecuritySchemesTransformer>().AddDocumentTransformer<PermissionsTransformer>());
        return builder;
    }

    /// <summary>Adds the middleware (body limits, authentication, authorization) and maps the OpenAPI document.</summary>
    public static WebApplication UseOmniStreamHttp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<BodyLimitMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi(OpenApiPath).RequirePermission(Permissions.OpenApi, app.Services.GetRequiredService<AuthOptions>());
        return app;
    }
}
