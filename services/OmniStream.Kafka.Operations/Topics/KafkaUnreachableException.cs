namespace OmniStream.Kafka.Operations.Topics;

/// <summary>No broker answered: wrong addresses, brokers down, or a connection refused by security (SASL, TLS).</summary>
public sealed class KafkaUnreachableException : Exception
{
    /// <summary>Creates the exception for the brokers at <paramref name="bootstrapServers"/>, which did not answer or <paramref name="refused"/> the client.</summary>
    public KafkaUnreachableException(string bootstrapServers, TimeSpan waited, string lastError, Exception innerException, bool refused = false)
        : base(refused
            ? $"the Kafka brokers at {bootstrapServers} refused this client (check OmniStream:Kafka:SecurityProtocol, :Sasl and :Tls): {lastError}"
            : $"no Kafka broker at {bootstrapServers} answered within {waited.TotalSeconds:0.#} s: {lastError}", innerException)
    {
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public KafkaUnreachableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message of its own and its cause.</summary>
    public KafkaUnreachableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no detail.</summary>
    public KafkaUnreachableException() : this("no Kafka broker answered")
    {
    }
}
