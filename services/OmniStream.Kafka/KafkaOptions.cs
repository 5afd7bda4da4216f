using System.ComponentModel.DataAnnotations;

namespace OmniStream.Kafka;

/// <summary>
/// How to reach Kafka, for every client OmniStream creates. Section <c>OmniStream:Kafka</c>;
/// environment variables override it, e.g. <c>OMNISTREAM__KAFKA__BOOTSTRAPSERVERS</c>,
/// <c>OMNISTREAM__KAFKA__SECURITYPROTOCOL</c>, <c>OMNISTREAM__KAFKA__SASL__PASSWORD</c>.
/// </summary>
public sealed class KafkaOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Kafka";

    /// <summary>Comma-separated host:port list of brokers.</summary>
    [Required(ErrorMessage = "OmniStream:Kafka:BootstrapServers is required (host:port,...), e.g. OMNISTREAM__KAFKA__BOOTSTRAPSERVERS=localhost:9092")]
    public string BootstrapServers { get; set; } = "";

    /// <summary>
    /// How clients talk to the brokers: <c>PLAINTEXT</c> (default), <c>SSL</c>, <c>SASL_PLAINTEXT</c>
    /// or <c>SASL_SSL</c> (what managed Kafka services require).
    /// </summary>
    public string SecurityProtocol { get; set; } = "PLAINTEXT";

    /// <summary>SASL authentication, with <c>SASL_PLAINTEXT</c> or <c>SASL_SSL</c>.</summary>
    public KafkaSaslOptions Sasl { get; set; } = new();

    /// <summary>TLS, with <c>SSL</c> or <c>SASL_SSL</c>: the brokers' CA, and a client certificate for mutual TLS.</summary>
    public KafkaTlsOptions Tls { get; set; } = new();

    /// <summary>Extra librdkafka settings for every producer (e.g. "linger.ms": "5").</summary>
    public Dictionary<string, string> Producer { get; } = [];

    /// <summary>Extra librdkafka settings for every consumer (e.g. "fetch.wait.max.ms": "20").</summary>
    public Dictionary<string, string> Consumer { get; } = [];

    /// <summary>Whether the protocol authenticates with SASL.</summary>
    public bool UsesSasl => SecurityProtocol.StartsWith("SASL_", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the protocol encrypts with TLS.</summary>
    public bool UsesTls => SecurityProtocol.Equals("SSL", StringComparison.OrdinalIgnoreCase) || SecurityProtocol.Equals("SASL_SSL", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first problem with the security settings, naming the setting; null when none.</summary>
    public string? Problem()
    {
        string[] protocols = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
        if (!protocols.Contains(SecurityProtocol, StringComparer.OrdinalIgnoreCase))
        {
            return $"{Section}:SecurityProtocol must be one of {string.Join(", ", protocols)} (got '{SecurityProtocol}')";
        }
        if (!UsesSasl && !string.IsNullOrEmpty(Sasl.Mechanism))
        {
            return $"{Section}:Sasl:Mechanism is set but {Section}:SecurityProtocol is {SecurityProtocol}: use SASL_SSL (or SASL_PLAINTEXT)";
        }
        return (UsesSasl ? Sasl.Problem($"{Section}:Sasl") : null) ?? (UsesTls ? Tls.Problem($"{Section}:Tls") : null);
    }
}
