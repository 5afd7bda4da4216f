using OmniStream.Customers;

namespace OmniStream.Customers.Segments;

/// <summary>A segment file that does not validate; the message names the file, the line and what is wrong.</summary>
public sealed class SegmentFileException : DefinitionFileException
{
    /// <summary>Creates the exception for <paramref name="source"/> at <paramref name="line"/>.</summary>
    public SegmentFileException(string source, long line, string problem) : base(source, line, problem)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SegmentFileException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SegmentFileException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SegmentFileException()
    {
    }
}
