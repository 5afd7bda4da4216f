using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Http;

namespace OmniStream.Worker.Explorer;

/// <summary>Opens a browser's session with a bearer token already checked: for no longer than the token lives, nor than the configured lifetime.</summary>
public sealed class ExplorerSessions(ExplorerOptions options, TimeProvider time, AuditLog audit)
{
    /// <summary>Keeps <paramref name="token"/>, whose bearer is <paramref name="user"/>, as the session of <paramref name="context"/>'s browser.</summary>
    public ExplorerSession Open(HttpContext context, string token, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var tokenEnds = new DateTimeOffset(new JsonWebToken(token).ValidTo, TimeSpan.Zero);
        var expires = tokenEnds < now + options.SessionLifetime ? tokenEnds : now + options.SessionLifetime;
        SessionCookie.Write(context, token, expires - now);
        audit.RecordSignIn(user, expires);
        return new ExplorerSession(PermissionClaims.NameOf(user), expires);
    }
}

/// <summary>The answer of <c>POST /explorer/session</c>.</summary>
/// <param name="SignedInAs">Who signed in.</param>
/// <param name="Expires">When the session ends.</param>
public sealed record ExplorerSession(string SignedInAs, DateTimeOffset Expires);
