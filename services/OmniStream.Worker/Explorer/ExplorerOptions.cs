using System.ComponentModel.DataAnnotations;

namespace OmniStream.Worker.Explorer;

/// <summary>The customer explorer (<c>/explorer</c>). Section <c>OmniStream:Explorer</c>.</summary>
public sealed class ExplorerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Explorer";

    /// <summary>The longest a browser session lasts (default 8 h); never longer than the token it was opened with.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "OmniStream:Explorer:SessionLifetime must be between 1 minute and 7 days")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sign-in through the organisation's identity provider (OpenID Connect); off unless a client id is set.</summary>
    public ExplorerOidcOptions Oidc { get; set; } = new();
}

/// <summary>
/// The explorer as an OpenID Connect client of the identity provider that issues the services' tokens
/// (<c>OmniStream:Auth:Jwt:Authority</c>): authorization code flow with PKCE; the access token it is given, checked as any
/// bearer token is, becomes the browser's session.
/// </summary>
public sealed class ExplorerOidcOptions
{
    /// <summary>The client id registered with the identity provider; unset, the sign-in page offers only a token.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client's secret (from a secret store or the environment, never from a file in the repository); unset for a public client.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The scopes asked for (none set: <c>openid</c>); add those your provider needs to put <c>customers:read</c> in the access token.</summary>
    public IList<string> Scopes { get; set; } = [];

    /// <summary>The scopes to ask for.</summary>
    public IReadOnlyList<string> ScopesAsked => Scopes.Count == 0 ? ["openid"] : [.. Scopes];

    /// <summary>Whether sign-in through the identity provider is on.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);
}
