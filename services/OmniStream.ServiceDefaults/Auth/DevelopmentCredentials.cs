using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OmniStream.ServiceDefaults.Auth;

/// <summary>
/// A signing key made up for one development session, and a bearer token it signs with every
/// permission: what the demo and <c>omnistream dev-cluster</c> print so that a first look needs no
/// identity provider. Never for production: whoever reads the key can sign any token.
/// </summary>
/// <param name="SigningKey">The key, base64: the value of <c>OmniStream:Auth:Jwt:SigningKey</c>.</param>
/// <param name="Token">A token with every permission, valid for <see cref="Lifetime"/>.</param>
public sealed record DevelopmentCredentials(string SigningKey, string Token)
{
    /// <summary>The issuer of development tokens (the default expected issuer when a signing key is set).</summary>
    public const string Issuer = "omnistream-dev";

    /// <summary>How long a development token is valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>A new random key and its token, for <paramref name="audience"/>.</summary>
    public static DevelopmentCredentials Create(string audience = "omnistream")
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return new DevelopmentCredentials(key, Sign(key, "developer", Permissions.All, audience, Lifetime));
    }

    /// <summary>A token for <paramref name="subject"/> with <paramref name="permissions"/>, signed with <paramref name="signingKey"/> (base64, HS256).</summary>
    public static string Sign(string signingKey, string subject, IEnumerable<string> permissions, string audience, TimeSpan lifetime, string issuer = Issuer) =>
        Sign(new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(signingKey)), SecurityAlgorithms.HmacSha256),
            subject, permissions, audience, lifetime, issuer);

    /// <summary>A token for <paramref name="subject"/> with <paramref name="permissions"/>, signed with <paramref name="credentials"/> (a shared key or a private key).</summary>
    public static string Sign(SigningCredentials credentials, string subject, IEnumerable<string> permissions, string audience, TimeSpan lifetime, string issuer = Issuer)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = new Dictionary<string, object> { ["sub"] = subject, [PermissionClaims.Permissions] = permissions.ToArray() },
            SigningCredentials = credentials,
        });
    }
}
