namespace OmniStream.Kafka.Operations.Topics;

/// <summary>Topics a process needs are missing and could not be created (the brokers refuse, or cannot, e.g. the embedded cluster).</summary>
public sealed class MissingTopicsException : Exception
{
    /// <summary>Creates the exception for <paramref name="topics"/>, with why they could not be created and how to create them.</summary>
    public MissingTopicsException(IReadOnlyList<string> topics, string reason, string remedy)
        : base($"{topics.Count} topic(s) missing ({reason}): {string.Join(", ", topics)}; {remedy}")
    {
        Topics = topics;
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public MissingTopicsException(string message) : base(message)
    {
        Topics = [];
    }

    /// <summary>Creates the exception with a message of its own and its cause.</summary>
    public MissingTopicsException(string message, Exception innerException) : base(message, innerException)
    {
        Topics = [];
    }

    /// <summary>Creates the exception with no detail.</summary>
    public MissingTopicsException() : this("topics are missing")
    {
    }

    /// <summary>The missing topics.</summary>
    public IReadOnlyList<string> Topics { get; }
}
