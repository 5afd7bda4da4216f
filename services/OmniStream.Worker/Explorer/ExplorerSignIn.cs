using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Hosting;

namespace OmniStream.Worker.Explorer;

/// <summary>
/// Sign-in to the explorer through the organisation's identity provider (OpenID Connect, authorization code flow with
/// PKCE, the answer in the query so that the sign-in's cookies can stay SameSite=Lax). The access token the provider
/// returns is checked exactly as a bearer token on the API would be; when it carries <c>customers:read</c> it becomes the
/// browser's session (<see cref="ExplorerSessions"/>), else the sign-in page says why.
/// </summary>
public static class ExplorerSignIn
{
    /// <summary>The authentication scheme of the sign-in.</summary>
    public const string Scheme = "explorer-oidc";

    /// <summary>Where the identity provider sends the browser back (register it with the provider).</summary>
    public const string CallbackPath = "/explorer/signin-oidc";

    /// <summary>Adds the sign-in when <c>OmniStream:Explorer:Oidc:ClientId</c> is set; it needs <c>OmniStream:Auth:Jwt:Authority</c>.</summary>
    public static IHostApplicationBuilder AddExplorerSignIn(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var oidc = builder.Configuration.GetSection($"{ExplorerOptions.Section}:{nameof(ExplorerOptions.Oidc)}").Get<ExplorerOidcOptions>() ?? new();
        if (!oidc.IsConfigured)
        {
            return builder;
        }
        var jwt = builder.Configuration.GetSection($"{AuthOptions.Section}:{nameof(AuthOptions.Jwt)}").Get<JwtSettings>() ?? new();
        if (string.IsNullOrWhiteSpace(jwt.Authority))
        {
            builder.Services.AddSingleton<IValidateOptions<ExplorerOptions>>(new ProblemValidation<ExplorerOptions>(_ =>
                $"{ExplorerOptions.Section}:Oidc:ClientId is set but {AuthOptions.Section}:Jwt:Authority is not: the explorer signs in with the identity provider that issues the services' tokens"));
            return builder;
        }
        builder.Services.AddAuthentication().AddOpenIdConnect(Scheme, options =>
        {
            options.Authority = jwt.Authority;
            options.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
            options.ClientId = oidc.ClientId;
            options.ClientSecret = oidc.ClientSecret;
            options.ResponseType = "code";
            options.ResponseMode = "query";
            options.UsePkce = true;
            options.SaveTokens = true;
            options.MapInboundClaims = false;
            options.CallbackPath = CallbackPath;
            options.Scope.Clear();
            foreach (var scope in oidc.ScopesAsked)
            {
                options.Scope.Add(scope);
            }
            // Never signed in with: the ticket is turned into the session cookie and the response ends there.
            options.SignInScheme = AuthExtensions.Scheme;
            foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            }
            options.Events.OnTicketReceived = OpenSessionAsync;
            options.Events.OnRemoteFailure = context =>
            {
                context.Response.Redirect(Refused($"the identity provider's answer was refused: {context.Failure?.Message}"));
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
        return builder;
    }

    /// <summary>Sends the browser to the identity provider, back to the explorer once signed in.</summary>
    public static IResult Challenge() =>
        Results.Challenge(new AuthenticationProperties { RedirectUri = ExplorerEndpoints.PagePath }, [Scheme]);

    private static async Task OpenSessionAsync(TicketReceivedContext context)
    {
        context.HandleResponse();
        var token = context.Properties?.GetTokenValue("access_token");
        if (string.IsNullOrEmpty(token))
        {
            context.Response.Redirect(Refused("the identity provider returned no access token"));
            return;
        }
        // The API's own check of a bearer token, on this one.
        context.HttpContext.Request.Headers.Authorization = $"Bearer {token}";
        var checkedToken = await context.HttpContext.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme).ConfigureAwait(false);
        if (checkedToken is not { Succeeded: true, Principal: { } user })
        {
            context.Response.Redirect(Refused($"the identity provider's access token is not one the API accepts: {(checkedToken.Failure is { } failure ? AuthenticationFailure.Describe(failure) : "no identity")}"));
            return;
        }
        if (!PermissionClaims.Has(user, Permissions.CustomersRead))
        {
            context.Response.Redirect(Refused(string.Create(CultureInfo.InvariantCulture, $"'{PermissionClaims.NameOf(user)}' lacks permission '{Permissions.CustomersRead}'")));
            return;
        }
        context.HttpContext.RequestServices.GetRequiredService<ExplorerSessions>().Open(context.HttpContext, token, user);
        await ContinueAsync(context.Response).ConfigureAwait(false);
    }

    // This response ends a navigation the identity provider's site started: a redirect from it would still be cross-site, and
    // the browser would not send the SameSite=Strict session with it. A page of our own moves on, same-site.
    private static async Task ContinueAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.CacheControl = "no-store";
        await response.WriteAsync(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url={ExplorerEndpoints.PagePath}\">" +
            $"<title>Signed in</title></head><body><p>Signed in. <a href=\"{ExplorerEndpoints.PagePath}\">Open the explorer</a>.</p></body></html>").ConfigureAwait(false);
    }

    private static string Refused(string why) => $"{ExplorerEndpoints.SignInPath}#refused={Uri.EscapeDataString(why)}";
}
