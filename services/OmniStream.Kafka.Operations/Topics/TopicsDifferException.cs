namespace OmniStream.Kafka.Operations.Topics;

/// <summary>Topics a process needs exist but differ from what it expects (e.g. another partition count): the configuration or the topics must change.</summary>
public sealed class TopicsDifferException : Exception
{
    /// <summary>Creates the exception naming each difference, with what to do.</summary>
    public TopicsDifferException(IReadOnlyList<string> differences, string remedy)
        : base($"{string.Join("; ", differences)}; {remedy}")
    {
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public TopicsDifferException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message of its own and its cause.</summary>
    public TopicsDifferException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no detail.</summary>
    public TopicsDifferException() : this("topics differ from their definitions")
    {
    }
}
