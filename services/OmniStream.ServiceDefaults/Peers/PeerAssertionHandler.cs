using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OmniStream.ServiceDefaults.Peers;

/// <summary>
/// Authenticates a request that another instance of the application makes on a caller's behalf, by
/// its <see cref="PeerAssertions.Header"/>: the principal is the caller the assertion names, with the
/// permissions it carries. A service without <see cref="PeerAssertions"/> (the gateway) refuses every one.
/// </summary>
public sealed class PeerAssertionHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name, also the authentication type of the principals it makes.</summary>
    public const string SchemeName = "Peer";

    /// <summary>Whether <paramref name="user"/> came from another instance on a caller's behalf (such a request is never passed on again).</summary>
    public static bool IsFromPeer(ClaimsPrincipal user) => user?.Identity is { IsAuthenticated: true, AuthenticationType: SchemeName };

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(PeerAssertions.Header, out var sent) || string.IsNullOrEmpty(sent))
        {
            return AuthenticateResult.NoResult();
        }
        if (Context.RequestServices.GetService<PeerAssertions>() is not { } assertions)
        {
            return AuthenticateResult.Fail($"this service accepts no {PeerAssertions.Header} assertions");
        }
        var (caller, refusal) = await assertions.ValidateAsync(sent.ToString(), SchemeName).ConfigureAwait(false);
        return caller is null
            ? AuthenticateResult.Fail(refusal!)
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(caller), SchemeName));
    }
}
