namespace OmniStream.Worker.Ingest;

/// <summary>
/// A record from outside the worker (a channel's interactions, a reported outcome) carries a header
/// the stages use to talk to each other: it could steer the worker (a merge, an unlink, a watermark),
/// so it is set aside, untouched, rather than taken.
/// </summary>
public sealed class InternalHeaderException : Exception
{
    /// <summary>Creates the exception for <paramref name="header"/> found on <paramref name="topic"/>.</summary>
    public InternalHeaderException(string header, string topic)
        : base($"header '{header}' is internal to the worker's stages; records of {topic} may not carry it")
    {
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public InternalHeaderException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message of its own and its cause.</summary>
    public InternalHeaderException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no detail.</summary>
    public InternalHeaderException() : this("a record from outside carries a header internal to the worker")
    {
    }
}
