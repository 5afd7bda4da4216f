namespace OmniStream.Worker.Ingest;

/// <summary>
/// A record on a topic that may not carry it: an erasure request on a channel's topic (whoever may
/// publish a channel's events could erase any customer), or anything but an erasure request on the
/// privacy topic. It is set aside, untouched, rather than taken.
/// </summary>
public sealed class MisplacedRequestException : Exception
{
    /// <summary>Creates the exception with what is wrong.</summary>
    public MisplacedRequestException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with what is wrong and its cause.</summary>
    public MisplacedRequestException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no detail.</summary>
    public MisplacedRequestException() : this("a request on a topic that may not carry it")
    {
    }
}
