namespace OmniStream.Kafka;

/// <summary>
/// SASL settings. <c>PLAIN</c> and <c>SCRAM-SHA-256</c>/<c>SCRAM-SHA-512</c> take a username and
/// password; <c>OAUTHBEARER</c> fetches tokens from an OpenID Connect token endpoint with a client
/// id and secret (client credentials). Secrets belong in a secret store or the environment.
/// </summary>
public sealed class KafkaSaslOptions
{
    /// <summary>The mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER.</summary>
    public string Mechanism { get; set; } = "";

    /// <summary>The username (PLAIN, SCRAM); for Confluent Cloud, the API key.</summary>
    public string? Username { get; set; }

    /// <summary>The password (PLAIN, SCRAM); for Confluent Cloud, the API secret. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>OAUTHBEARER: the token endpoint of the identity provider.</summary>
    public string? TokenEndpointUrl { get; set; }

    /// <summary>OAUTHBEARER: the client id.</summary>
    public string? ClientId { get; set; }

    /// <summary>OAUTHBEARER: the client secret. Never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>OAUTHBEARER: the scope to ask for, if the provider needs one.</summary>
    public string? Scope { get; set; }

    /// <summary>The first problem under <paramref name="path"/>; null when none.</summary>
    public string? Problem(string path) => Mechanism.ToUpperInvariant() switch
    {
        "" => $"{path}:Mechanism is required with a SASL protocol (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER)",
        "PLAIN" or "SCRAM-SHA-256" or "SCRAM-SHA-512" => string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password)
            ? $"{path}:Username and {path}:Password are required with {Mechanism}"
            : null,
        "OAUTHBEARER" => !Uri.TryCreate(TokenEndpointUrl, UriKind.Absolute, out _) ? $"{path}:TokenEndpointUrl must be an absolute URL with OAUTHBEARER"
            : string.IsNullOrEmpty(ClientId) || string.IsNullOrEmpty(ClientSecret) ? $"{path}:ClientId and {path}:ClientSecret are required with OAUTHBEARER"
            : null,
        _ => $"{path}:Mechanism must be PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER (got '{Mechanism}')",
    };
}
