namespace OmniStream.Schemas.Wire;

/// <summary>Why a message could not be decoded.</summary>
public enum DecodeFailure
{
    /// <summary>The message has no bytes (a null or empty value).</summary>
    Empty,

    /// <summary>The first bytes are neither Avro single-object encoding (C3 01) nor Confluent framing (00).</summary>
    UnknownFormat,

    /// <summary>The header is cut short.</summary>
    TruncatedHeader,

    /// <summary>The single-object fingerprint names no schema in the local catalog.</summary>
    UnknownFingerprint,

    /// <summary>The Confluent schema id is unknown to the registry, or no registry is configured.</summary>
    UnknownSchemaId,

    /// <summary>The writer schema cannot be read as the expected type (an incompatible schema).</summary>
    IncompatibleSchema,

    /// <summary>The Avro body does not decode against its writer schema, or bytes are left over.</summary>
    MalformedBody,

    /// <summary>The Schema Registry could not be reached; the same bytes may decode later.</summary>
    RegistryUnavailable,
}
