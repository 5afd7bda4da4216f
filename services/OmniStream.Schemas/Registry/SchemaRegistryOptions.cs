using Confluent.SchemaRegistry;

namespace OmniStream.Schemas.Registry;

/// <summary>
/// Where the Schema Registry is and how to reach it; with no URL, messages use single-object
/// encoding. Section <c>OmniStream:SchemaRegistry</c>; the password comes from configuration (an
/// environment variable or a secret store), never from code.
/// </summary>
public sealed class SchemaRegistryOptions
{
    /// <summary>The configuration section: <c>OmniStream:SchemaRegistry</c>.</summary>
    public const string Section = "OmniStream:SchemaRegistry";

    /// <summary>Base URL of a Confluent-compatible registry, e.g. https://schema-registry:8081.</summary>
    public Uri? Url { get; set; }

    /// <summary>The user of HTTP basic authentication (Confluent Cloud: the API key); none when empty.</summary>
    public string Username { get; set; } = "";

    /// <summary>Its password (Confluent Cloud: the API secret).</summary>
    public string Password { get; set; } = "";

    /// <summary>A PEM file of the certificate authorities to trust for the registry's TLS certificate (default: the system's).</summary>
    public string CaLocation { get; set; } = "";

    /// <summary>A PKCS#12 keystore with this client's certificate and key, for registries that ask for one (mutual TLS).</summary>
    public string KeystoreLocation { get; set; } = "";

    /// <summary>The keystore's password.</summary>
    public string KeystorePassword { get; set; } = "";

    /// <summary>
    /// Whether a writer registers its schema under the topic's subject when the registry lacks it
    /// (default true, as Confluent's clients). In production, register with <c>omnistream schemas
    /// register</c> and set it false: writers then only look their schema up.
    /// </summary>
    public bool AutoRegister { get; set; } = true;

    /// <summary>
    /// How long one request to the registry may take (default 5 s; Confluent's client waits 30 s): a registry that does
    /// not answer pauses the stages that need it, which retry with backoff, rather than holding a transaction open.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether a registry is configured.</summary>
    public bool IsConfigured => Url is not null;

    /// <summary>The first problem, naming the setting; null when none.</summary>
    public string? Problem() =>
        Url is { } url && url.Scheme is not ("http" or "https") ? $"{Section}:Url must be an http(s) URL"
        : Username.Length > 0 && Password.Length == 0 ? $"{Section}:Password is required with {Section}:Username"
        : KeystoreLocation.Length > 0 && !File.Exists(KeystoreLocation) ? $"{Section}:KeystoreLocation: no file {KeystoreLocation}"
        : CaLocation.Length > 0 && !File.Exists(CaLocation) ? $"{Section}:CaLocation: no file {CaLocation}"
        : RequestTimeout < TimeSpan.FromMilliseconds(100) || RequestTimeout > TimeSpan.FromMinutes(1) ? $"{Section}:RequestTimeout must be between 100 ms and 1 minute"
        : null;

    /// <summary>Confluent's client for these settings (it caches ids and schemas; share one per process).</summary>
    public CachedSchemaRegistryClient CreateClient()
    {
        var config = new SchemaRegistryConfig
        {
            Url = Url?.ToString().TrimEnd('/') ?? throw new InvalidOperationException($"{Section}:Url is not set"),
            RequestTimeoutMs = (int)RequestTimeout.TotalMilliseconds,
            // One quick retry: callers retry further with their own backoff (a stage pauses), not inside one call of up to 30 s.
            MaxRetries = 1,
            RetriesWaitMs = 100,
            RetriesMaxWaitMs = 1000,
        };
        if (Username.Length > 0)
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = $"{Username}:{Password}";
        }
        if (CaLocation.Length > 0)
        {
            config.SslCaLocation = CaLocation;
        }
        if (KeystoreLocation.Length > 0)
        {
            config.SslKeystoreLocation = KeystoreLocation;
            config.SslKeystorePassword = KeystorePassword;
        }
        return new CachedSchemaRegistryClient(config);
    }
}
