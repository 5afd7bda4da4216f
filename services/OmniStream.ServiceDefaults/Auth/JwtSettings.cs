namespace OmniStream.ServiceDefaults.Auth;

/// <summary>
/// How bearer tokens are validated: against an identity provider's published keys
/// (<see cref="Authority"/>, OpenID Connect discovery), against a public key (<see cref="PublicKey"/>,
/// ES256/RS256: the services can verify tokens but not make them), or against a shared HMAC key
/// (<see cref="SigningKey"/>, HS256: whoever holds it can make tokens). One of the three. Issuer,
/// audience and lifetime are always checked.
/// </summary>
public sealed class JwtSettings
{
    /// <summary>The identity provider (e.g. <c>https://login.example.com/realms/omnistream</c>); its keys are fetched from its discovery document.</summary>
    public string? Authority { get; set; }

    /// <summary>The issuer tokens must name (default: the authority, or <c>omnistream-dev</c> with a signing key).</summary>
    public string? Issuer { get; set; }

    /// <summary>The audience tokens must name (default <c>omnistream</c>).</summary>
    public string Audience { get; set; } = "omnistream";

    /// <summary>A shared HMAC-SHA256 key, base64, at least 32 bytes, for deployments without an identity provider.</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// The public key tokens are signed for (PEM, or the base64 of its DER <c>SubjectPublicKeyInfo</c> on one line), an EC
    /// (P-256, P-384, P-521) or RSA key; the private key stays with whoever issues tokens (<c>omnistream token --private-key</c>).
    /// </summary>
    public string? PublicKey { get; set; }

    /// <summary>
    /// Whether the identity provider's discovery document and keys must be read over HTTPS (default true). False only for a
    /// development identity provider on plain HTTP: whoever sits on the network between could then hand the services their keys.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether bearer tokens are accepted at all.</summary>
    public bool IsConfigured => new[] { Authority, SigningKey, PublicKey }.Any(s => !string.IsNullOrWhiteSpace(s));

    /// <summary>The issuer a token must name.</summary>
    public string ExpectedIssuer => Issuer ?? Authority ?? DevelopmentCredentials.Issuer;

    /// <summary>The signing key's bytes; null without one.</summary>
    public byte[]? SigningKeyBytes => string.IsNullOrWhiteSpace(SigningKey) ? null : Convert.FromBase64String(SigningKey);

    /// <summary>The first problem with these settings under <paramref name="path"/>; null when none.</summary>
    public string? Problem(string path)
    {
        if (!string.IsNullOrWhiteSpace(Authority) && !Uri.TryCreate(Authority, UriKind.Absolute, out _))
        {
            return $"{path}:Authority must be an absolute URL";
        }
        if (new[] { Authority, SigningKey, PublicKey }.Count(s => !string.IsNullOrWhiteSpace(s)) > 1)
        {
            // Two: a token signed with the shared key would pass as the authority's, and the key is one more secret to steal.
            return $"{path}: set one of Authority (tokens signed by an identity provider), PublicKey (tokens signed with its private key) or SigningKey (HS256 with a shared key)";
        }
        if (!string.IsNullOrWhiteSpace(PublicKey))
        {
            return TokenKeys.TryReadPublic(PublicKey, out _) ? null : $"{path}:PublicKey must be an EC or RSA public key: PEM ('openssl ec -in token.key -pubout') or the base64 of its DER";
        }
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            return null;
        }
        try
        {
            return Convert.FromBase64String(SigningKey).Length < 32 ? $"{path}:SigningKey must be at least 32 bytes (base64 of 32 random bytes: openssl rand -base64 32)" : null;
        }
        catch (FormatException)
        {
            return $"{path}:SigningKey must be base64 (e.g. openssl rand -base64 32)";
        }
    }
}
