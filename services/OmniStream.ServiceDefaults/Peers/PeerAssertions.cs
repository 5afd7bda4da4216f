using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.ServiceDefaults.Peers;

/// <summary>
/// What one instance sends another when it asks on a caller's behalf, instead of the caller's own
/// credential: a short-lived token (HS256 under a key derived from the <see cref="PeerKey"/>) that
/// names the caller and its permissions, the instance that asks (<see cref="ViaClaim"/>) and the
/// instance asked (its audience). Only an instance of the application can make one, and one made
/// for an instance is refused by every other.
/// </summary>
public sealed class PeerAssertions
{
    /// <summary>The request header that carries an assertion.</summary>
    public const string Header = "X-OmniStream-Peer";

    /// <summary>The claim that names the instance that asked on the caller's behalf.</summary>
    public const string ViaClaim = "via";

    /// <summary>How long an assertion is valid: one request's time, with room for clocks apart.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _tokens = new();
    private readonly SigningCredentials _signing;
    private readonly TokenValidationParameters _validation;
    private readonly string _applicationId;
    private readonly string _instanceId;

    /// <summary>Assertions among the instances of <paramref name="applicationId"/>, made and checked by <paramref name="instanceId"/>.</summary>
    public PeerAssertions(PeerKey key, string applicationId, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(key);
        (_applicationId, _instanceId) = (applicationId, instanceId);
        var signingKey = new SymmetricSecurityKey(key.For("assertions"));
        _signing = new SigningCredentials(signingKey, SecurityAlgorithms.HmacSha256);
        _validation = new TokenValidationParameters
        {
            ValidIssuer = applicationId,
            ValidAudience = instanceId,
            IssuerSigningKey = signingKey,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(5),
            NameClaimType = "sub",
        };
    }

    /// <summary>An assertion of <paramref name="caller"/>'s name and permissions, for <paramref name="instance"/> only.</summary>
    public string Mint(ClaimsPrincipal caller, string instance)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = DateTime.UtcNow;
        return _tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _applicationId,
            Audience = instance,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = PermissionClaims.NameOf(caller),
                [PermissionClaims.Permissions] = PermissionClaims.All(caller).ToArray(),
                [ViaClaim] = _instanceId,
            },
            SigningCredentials = _signing,
        });
    }

    /// <summary>The caller that <paramref name="token"/> asserts, or why it is refused.</summary>
    public async Task<(ClaimsIdentity? Caller, string? Refusal)> ValidateAsync(string token, string authenticationType)
    {
        var result = await _tokens.ValidateTokenAsync(token, _validation).ConfigureAwait(false);
        return result.IsValid
            ? (new ClaimsIdentity(result.ClaimsIdentity.Claims, authenticationType, "sub", ClaimTypes.Role), null)
            : (null, $"the {Header} assertion is not valid here: {result.Exception?.Message.Split('\n')[0]}");
    }
}
