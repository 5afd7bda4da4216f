using System.Text.RegularExpressions;

namespace OmniStream.ServiceDefaults.Auth;

/// <summary>
/// Who may call the service's HTTP API. Section <c>OmniStream:Auth</c>. A request authenticates with
/// <c>Authorization: Bearer &lt;JWT&gt;</c> (issuer and keys from <see cref="Jwt"/>) or with
/// <c>X-Api-Key: &lt;key&gt;</c> (<see cref="ApiKeys"/>); each endpoint requires one permission
/// (<see cref="Permissions"/>) unless <see cref="Anonymous"/> grants it to everyone. A service
/// with neither tokens nor keys configured does not start.
/// </summary>
public sealed partial class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Auth";

    /// <summary>Bearer tokens: how to validate them. Unset: bearer tokens are refused.</summary>
    public JwtSettings Jwt { get; set; } = new();

    /// <summary>API keys, each with a name (logged, never the key) and its permissions.</summary>
    public IList<ApiKeyCredential> ApiKeys { get; } = [];

    /// <summary>
    /// Permissions every caller has, credentials or not. Default: <c>health</c>, <c>ops</c> (so
    /// that orchestrators and Prometheus need no secret) and <c>openapi</c>; set it to an empty
    /// list (<c>OmniStream__Auth__Anonymous__0=</c>) to require credentials for those too.
    /// </summary>
    public IList<string> Anonymous { get; set; } = [.. Permissions.AnonymousByDefault];

    /// <summary>The first problem with the settings, naming the setting; null when none.</summary>
    public string? Problem()
    {
        var anonymous = Anonymous.Where(p => !string.IsNullOrEmpty(p)).ToList();
        if (anonymous.FirstOrDefault(p => !Permissions.All.Contains(p)) is { } unknownAnonymous)
        {
            return $"{Section}:Anonymous: unknown permission '{unknownAnonymous}' (known: {string.Join(", ", Permissions.All)})";
        }
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            if (ApiKeys[i].Problem($"{Section}:ApiKeys:{i}") is { } problem)
            {
                return problem;
            }
        }
        if (Jwt.Problem($"{Section}:Jwt") is { } jwtProblem)
        {
            return jwtProblem;
        }
        return ApiKeys.Count == 0 && !Jwt.IsConfigured && Permissions.All.Except(anonymous).Any()
            ? $"{Section}: no credentials are configured, so every protected endpoint would refuse everyone: set {Section}:Jwt:PublicKey, " +
              $":Authority or :SigningKey for bearer tokens, or {Section}:ApiKeys:0:Key and :Permissions ('omnistream dev-cluster' prints a development setup)"
            : null;
    }

    /// <summary>The permissions granted without credentials, as configured (blank entries ignored).</summary>
    public IReadOnlySet<string> AnonymousPermissions => Anonymous.Where(p => !string.IsNullOrEmpty(p)).ToHashSet();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    internal static partial Regex NamePattern();
}
