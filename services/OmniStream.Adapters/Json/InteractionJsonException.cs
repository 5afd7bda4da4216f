namespace OmniStream.Adapters.Json;

/// <summary>
/// JSON that is not an interaction event, or a channel's message (e.g. a Segment call) that makes
/// none: <see cref="Path"/> names what is wrong (e.g. <c>payload.lines[0].quantity</c>, <c>properties.order_id</c>).
/// </summary>
public sealed class InteractionJsonException : Exception
{
    /// <summary>An error at <paramref name="path"/>.</summary>
    public InteractionJsonException(string path, string problem)
        : base($"{(path.Length == 0 ? "the event" : path)} {problem}")
    {
        Path = path;
    }

    /// <summary>Required by the exception pattern; prefer the path and problem.</summary>
    public InteractionJsonException()
    {
        Path = "";
    }

    /// <summary>Required by the exception pattern; prefer the path and problem.</summary>
    public InteractionJsonException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "";
    }

    /// <summary>Where in the event the problem is; empty for the event itself.</summary>
    public string Path { get; }
}
