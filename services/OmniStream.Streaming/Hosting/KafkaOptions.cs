using System.ComponentModel.DataAnnotations;

namespace OmniStream.Streaming.Hosting;

/// <summary>
/// How to reach Kafka. Section <c>OmniStream:Kafka</c>; environment variable
/// <c>OMNISTREAM__KAFKA__BOOTSTRAPSERVERS</c> overrides the bootstrap servers.
/// </summary>
public sealed class KafkaOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OmniStream:Kafka";

    /// <summary>Comma-separated host:port list of brokers.</summary>
    [Required(ErrorMessage = "OmniStream:Kafka:BootstrapServers is required (host:port,...), e.g. OMNISTREAM__KAFKA__BOOTSTRAPSERVERS=localhost:9092")]
    public string BootstrapServers { get; set; } = "";

    /// <summary>Extra librdkafka settings for every producer (e.g. "linger.ms": "5").</summary>
    public Dictionary<string, string> Producer { get; } = [];

    /// <summary>Extra librdkafka settings for every consumer (e.g. "fetch.wait.max.ms": "20").</summary>
    public Dictionary<string, string> Consumer { get; } = [];
}
