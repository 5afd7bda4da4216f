namespace OmniStream.Customers;

/// <summary>A definitions file (segments, policies) that does not validate; the message names the file, the line and what is wrong.</summary>
public abstract class DefinitionFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> at <paramref name="line"/>.</summary>
    protected DefinitionFileException(string source, long line, string problem) : base($"{source} line {line}: {problem}")
    {
        Line = line;
    }

    /// <summary>Creates the exception with a message.</summary>
    protected DefinitionFileException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    protected DefinitionFileException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    protected DefinitionFileException()
    {
    }

    /// <summary>The line (from 1) where the problem is.</summary>
    public long Line { get; }
}
