namespace OmniStream.Schemas.Wire;

/// <summary>
/// A value could not be encoded because the Schema Registry did not answer (down, 5xx, timed out): an outage, not a
/// problem with the value; retry later. (A registry that refuses the schema answers 4xx: that stays a <c>SchemaRegistryException</c>.)
/// </summary>
public sealed class RegistryUnavailableException(string message, Exception innerException) : Exception(message, innerException)
{
    /// <summary>Whether <paramref name="exception"/> says the registry is out (decoding or encoding), so that a caller retries rather than sets aside.</summary>
    public static bool IsOutage(Exception exception) => exception is RegistryUnavailableException or AvroDecodeException { IsTransient: true };
}
