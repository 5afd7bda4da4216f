using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Http;
using OmniStream.Worker.Hosting;

namespace OmniStream.Worker.Explorer;

/// <summary>
/// The customer explorer: <c>GET /explorer</c> (one customer across every channel, every decision explained, and the
/// marketers' KPIs; behind <c>customers:read</c>, a browser without a session is sent to sign in), its sign-in page, and
/// the session routes. A session is opened with a bearer token (<c>POST /explorer/session</c>, the token in the
/// Authorization header, as a token from the organisation's identity provider or the demo's sign-in link brings it) and
/// kept in an HttpOnly cookie (<see cref="SessionCookie"/>); <c>POST /explorer/sign-out</c> ends it.
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
        // Open to all: it only ever removes the caller's own cookie.
        routes.MapPost($"{PagePath}/sign-out", (HttpContext context) =>
        {
            SessionCookie.Delete(context);
            return Results.NoContent();
        }).AllowAnonymous();
        return routes;
    }

    // Reached only with a valid bearer token carrying customers:read: that token becomes the session, for no longer than it lives.
    private static IResult OpenSession(HttpContext context, ExplorerOptions options, TimeProvider time, AuditLog audit)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Results.Json(new Api.ApiError("a session is opened with 'Authorization: Bearer <token>' (an API key cannot open one)"),
                statusCode: StatusCodes.Status400BadRequest);
        }
        var token = header["Bearer ".Length..].Trim();
        var now = time.GetUtcNow();
        var tokenEnds = new DateTimeOffset(new JsonWebToken(token).ValidTo, TimeSpan.Zero);
        var expires = tokenEnds < now + options.SessionLifetime ? tokenEnds : now + options.SessionLifetime;
        SessionCookie.Write(context, token, expires);
        audit.RecordSignIn(context, expires);
        return Results.Json(new ExplorerSession(PermissionClaims.NameOf(context.User), expires));
    }
}

/// <summary>The answer of <c>POST /explorer/session</c>.</summary>
/// <param name="SignedInAs">Who signed in.</param>
/// <param name="Expires">When the session ends.</param>
public sealed record ExplorerSession(string SignedInAs, DateTimeOffset Expires);
