using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Worker.Hosting;

namespace OmniStream.Worker.Explorer;

/// <summary>
/// The customer explorer: <c>GET /explorer</c> (one customer across every channel, every decision explained, and the
/// marketers' KPIs; behind <c>customers:read</c>, a browser without a session is sent to sign in), its sign-in page, and
/// the session routes. A session is opened through the organisation's identity provider (<see cref="ExplorerSignIn"/>,
/// <c>GET /explorer/sign-in/oidc</c>) or with a bearer token (<c>POST /explorer/session</c>, the token in the Authorization
/// header, as the demo's sign-in link brings it) and kept in an HttpOnly cookie (<see cref="SessionCookie"/>);
/// <c>POST /explorer/sign-out</c> ends it.
/// </summary>
public static class ExplorerEndpoints
{
    /// <summary>The page people open.</summary>
    public const string PagePath = "/explorer";

    /// <summary>Where a browser without a session is sent.</summary>
    public const string SignInPath = "/explorer/sign-in";

    private static readonly string[] Scripts = ["page.js", "charts.js", "customer.js", "marketing.js", "explorer.js"];

    /// <summary>Maps the explorer's routes.</summary>
    public static IEndpointRouteBuilder MapExplorerEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var auth = routes.ServiceProvider.GetRequiredService<AuthOptions>();
        routes.MapAsset(PagePath, "explorer/explorer.html").RequirePermission(Permissions.CustomersRead, auth).RedirectsToSignIn(SignInPath);
        foreach (var script in Scripts)
        {
            routes.MapAsset($"{PagePath}/{script}", $"explorer/{script}").RequirePermission(Permissions.CustomersRead, auth);
        }
        routes.MapAsset($"{PagePath}/explorer.css", "explorer/explorer.css").AllowAnonymous();
        routes.MapAsset(SignInPath, "explorer/sign-in.html").AllowAnonymous();
        routes.MapAsset($"{PagePath}/sign-in.js", "explorer/sign-in.js").AllowAnonymous();
        routes.MapPost($"{PagePath}/session", OpenSession).RequirePermission(Permissions.CustomersRead, auth);
        var oidc = routes.ServiceProvider.GetRequiredService<ExplorerOptions>().Oidc.IsConfigured;
        routes.MapGet($"{SignInPath}/providers", () => Results.Json(new SignInProviders(oidc))).AllowAnonymous();
        if (oidc)
        {
            routes.MapGet($"{SignInPath}/oidc", ExplorerSignIn.Challenge).AllowAnonymous();
        }
        // Open to all: it only ever removes the caller's own cookie.
        routes.MapPost($"{PagePath}/sign-out", (HttpContext context) =>
        {
            SessionCookie.Delete(context);
            return Results.NoContent();
        }).AllowAnonymous();
        return routes;
    }

    // Reached only with a valid bearer token carrying customers:read: that token becomes the session.
    private static IResult OpenSession(HttpContext context, ExplorerSessions sessions)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? Results.Json(sessions.Open(context, header["Bearer ".Length..].Trim(), context.User))
            : Results.Json(new Api.ApiError("a session is opened with 'Authorization: Bearer <token>' (an API key cannot open one)"),
                statusCode: StatusCodes.Status400BadRequest);
    }
}

/// <summary>The ways to sign in that the sign-in page offers (<c>GET /explorer/sign-in/providers</c>).</summary>
/// <param name="IdentityProvider">True when sign-in through the organisation's identity provider is configured.</param>
public sealed record SignInProviders(bool IdentityProvider);
