namespace OmniStream.ServiceDefaults.Auth;

/// <summary>An API key a client sends as <c>X-Api-Key</c>.</summary>
public sealed class ApiKeyCredential
{
    /// <summary>Who holds the key (e.g. <c>crm-sync</c>): shown in the audit log instead of the key.</summary>
    public string Name { get; set; } = "";

    /// <summary>The secret itself, at least 32 characters (e.g. <c>openssl rand -base64 32</c>). From a secret store or the environment, never from a committed file.</summary>
    public string Key { get; set; } = "";

    /// <summary>What the key may do (<see cref="Auth.Permissions"/>), e.g. <c>customers:read</c>.</summary>
    public IList<string> Permissions { get; } = [];

    /// <summary>The first problem with this key's settings under <paramref name="path"/>; null when none.</summary>
    public string? Problem(string path) =>
        !AuthOptions.NamePattern().IsMatch(Name) ? $"{path}:Name must be 1 to 64 letters, digits, '.', '_' or '-'"
        : Key.Length < 32 ? $"{path}:Key must be at least 32 characters"
        : Permissions.Count == 0 ? $"{path}:Permissions must name at least one permission ({string.Join(", ", Auth.Permissions.All)})"
        : Permissions.FirstOrDefault(p => !Auth.Permissions.IsKnown(p)) is { } unknown
            ? $"{path}:Permissions: unknown permission '{unknown}' (known: {string.Join(", ", Auth.Permissions.All)}, and actions:read:<channel>)"
        : null;
}
