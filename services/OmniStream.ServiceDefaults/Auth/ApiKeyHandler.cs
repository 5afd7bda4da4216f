using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OmniStream.ServiceDefaults.Auth;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header against the configured keys, compared in
/// constant time through their SHA-256 digests. A request without the header is not authenticated
/// here (no failure), so that endpoints open to everyone still answer.
/// </summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthOptions auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The request header that carries the key.</summary>
    public const string Header = "X-Api-Key";

    private readonly (byte[] Digest, ApiKeyCredential Credential)[] _keys =
        [.. auth.ApiKeys.Select(key => (SHA256.HashData(Encoding.UTF8.GetBytes(key.Key)), key))];

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var sent) || string.IsNullOrEmpty(sent))
        {
            // Bearer tokens come here only when this service accepts none: say so rather than "send credentials".
            return Task.FromResult(Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)
                ? AuthenticateResult.Fail($"this service accepts no bearer tokens ({AuthOptions.Section}:Jwt is not configured); send '{Header}: <key>'")
                : AuthenticateResult.NoResult());
        }
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(sent.ToString()));
        ApiKeyCredential? match = null;
        foreach (var (known, credential) in _keys)
        {
            // Every key is compared, so the time taken does not tell which one came close.
            if (CryptographicOperations.FixedTimeEquals(known, digest))
            {
                match = credential;
            }
        }
        if (match is null)
        {
            return Task.FromResult(AuthenticateResult.Fail($"the {Header} sent is not a key this service knows"));
        }
        var claims = match.Permissions.Select(p => new Claim(PermissionClaims.Permissions, p)).Prepend(new Claim(ClaimTypes.Name, match.Name));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
