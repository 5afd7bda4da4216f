using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OmniStream.ServiceDefaults.Hosting;
using OmniStream.ServiceDefaults.Peers;

namespace OmniStream.ServiceDefaults.Auth;

/// <summary>Adds OmniStream's HTTP authentication (bearer tokens, API keys, assertions between instances) and a policy per permission.</summary>
public static class AuthExtensions
{
    /// <summary>The scheme that picks bearer-token or API-key authentication by what the request sends.</summary>
    public const string Scheme = "OmniStream";

    /// <summary>Adds authentication and authorization from <c>OmniStream:Auth</c>, validated at start (an error names the setting).</summary>
    public static IHostApplicationBuilder AddOmniStreamAuth(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddAuthOptions(services);
        var jwtConfigured = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>()?.Jwt.IsConfigured == true;
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token, API key or another instance's assertion", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(PeerAssertions.Header) ? PeerAssertionHandler.SchemeName
                : jwtConfigured && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) ? JwtBearerDefaults.AuthenticationScheme
                : context.Request.Headers.ContainsKey(ApiKeyHandler.Header) ? ApiKeyHandler.SchemeName
                : jwtConfigured && SessionCookie.Carries(context.Request) ? JwtBearerDefaults.AuthenticationScheme
                : ApiKeyHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, PeerAssertionHandler>(PeerAssertionHandler.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<AuthOptions>(Configure);
        services.AddAuthorization(options =>
        {
            foreach (var permission in Permissions.All.Where(p => p != Permissions.ActionsRead))
            {
                options.AddPolicy(permission, policy => policy.RequireAuthenticatedUser().RequireAssertion(c => PermissionClaims.Has(c.User, permission)));
            }
            // An endpoint that names no permission (nor opens itself) is closed to everyone until it does.
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireAssertion(_ => false).Build();
            // Some channel's actions: the endpoint then checks the channel asked for.
            options.AddPolicy(Permissions.ActionsRead, policy => policy.RequireAuthenticatedUser().RequireAssertion(c =>
                PermissionClaims.HasAny(c.User, p => p == Permissions.ActionsRead || p.StartsWith(Permissions.ActionsRead + ":", StringComparison.Ordinal))));
        });
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuthorizationAnswers>();
        return builder;
    }

    /// <summary>
    /// Adds <see cref="AuthOptions"/> bound from <c>OmniStream:Auth</c> and validated at start. A configured
    /// <c>Anonymous</c> list replaces the default one (the binder would append to it, so that a blank
    /// entry could never close the default permissions).
    /// </summary>
    public static IServiceCollection AddAuthOptions(IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart()
            .Configure<IConfiguration>((options, configuration) =>
            {
                var anonymous = configuration.GetSection($"{AuthOptions.Section}:{nameof(AuthOptions.Anonymous)}");
                if (anonymous.Exists())
                {
                    options.Anonymous = [.. anonymous.GetChildren().Select(entry => entry.Value ?? "")];
                }
            });
        services.AddSingleton<IValidateOptions<AuthOptions>>(new ProblemValidation<AuthOptions>(options => options.Problem()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AuthOptions>>().Value);
        return services;
    }

    /// <summary>
    /// Requires <paramref name="permission"/> for the endpoint, unless <c>OmniStream:Auth:Anonymous</c>
    /// grants it to everyone (read when the endpoint is mapped).
    /// </summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder endpoint, string permission, AuthOptions auth) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(auth);
        endpoint.WithMetadata(new PermissionMetadata(permission));
        return auth.AnonymousPermissions.Contains(permission) ? endpoint.AllowAnonymous() : endpoint.RequireAuthorization(permission);
    }

    /// <summary>
    /// Marks a browser page: a request without credentials is sent to <paramref name="signInPath"/> (302) instead of
    /// answered 401.
    /// </summary>
    public static TBuilder RedirectsToSignIn<TBuilder>(this TBuilder endpoint, string signInPath) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new SignInPageMetadata(signInPath));

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth)
    {
        var settings = auth.Jwt;
        jwt.MapInboundClaims = false;
        // A browser's session carries its token in a cookie (GET and HEAD only: SessionCookie).
        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                if (string.IsNullOrEmpty(context.Request.Headers.Authorization) && SessionCookie.TokenOf(context.Request) is { } token)
                {
                    context.Token = token;
                }
                return Task.CompletedTask;
            },
        };
        if (!string.IsNullOrWhiteSpace(settings.Authority))
        {
            jwt.Authority = settings.Authority;
            jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        }
        AsymmetricSecurityKey? publicKey = null;
        var hasPublicKey = !string.IsNullOrWhiteSpace(settings.PublicKey) && TokenKeys.TryReadPublic(settings.PublicKey, out publicKey);
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.ExpectedIssuer,
            ValidAudience = settings.Audience,
            ValidateIssuerSigningKey = true,
            IssuerSigningKey = settings.SigningKeyBytes is { } key ? new SymmetricSecurityKey(key) : publicKey,
            // Pinned: HS256 with the shared key; the public key's own algorithm; an identity provider's asymmetric signatures
            // otherwise (never "none", never HMAC keyed by a public key).
            ValidAlgorithms = settings.SigningKeyBytes is not null ? [SecurityAlgorithms.HmacSha256]
                : hasPublicKey ? [TokenKeys.AlgorithmOf(publicKey!)]
                : [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, SecurityAlgorithms.RsaSsaPssSha256,
                    SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512],
            NameClaimType = "sub",
            ClockSkew = TimeSpan.FromSeconds(30),
        };
    }
}
