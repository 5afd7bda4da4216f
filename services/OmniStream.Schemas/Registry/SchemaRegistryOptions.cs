namespace OmniStream.Schemas.Registry;

/// <summary>Where the Schema Registry is; with no URL, messages use single-object encoding.</summary>
public sealed class SchemaRegistryOptions
{
    /// <summary>The configuration section: <c>OmniStream:SchemaRegistry</c>.</summary>
    public const string Section = "OmniStream:SchemaRegistry";

    /// <summary>Base URL of a Confluent-compatible registry, e.g. http://schema-registry:8081.</summary>
    public Uri? Url { get; set; }
}
