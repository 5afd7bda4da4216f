namespace OmniStream.Schemas.Wire;

/// <summary>Bytes that are not a valid encoding of the expected contract type.</summary>
public sealed class AvroDecodeException : Exception
{
    /// <summary>Creates the error with its reason and a message that names what is wrong.</summary>
    public AvroDecodeException(DecodeFailure failure, string message, Exception? inner = null)
        : base($"{failure}: {message}", inner)
    {
        Failure = failure;
    }

    /// <summary>Why decoding failed.</summary>
    public DecodeFailure Failure { get; }

    /// <summary>True when the failure is not the data's fault and a retry may succeed.</summary>
    public bool IsTransient => Failure == DecodeFailure.RegistryUnavailable;
}
