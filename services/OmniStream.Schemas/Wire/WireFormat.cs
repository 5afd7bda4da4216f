namespace OmniStream.Schemas.Wire;

/// <summary>How the writer schema of a message is named.</summary>
public enum WireFormat
{
    /// <summary>Avro single-object encoding: the schema's 64-bit fingerprint, resolved against the local catalog.</summary>
    SingleObject,

    /// <summary>Confluent framing: a Schema Registry id.</summary>
    Confluent,
}
