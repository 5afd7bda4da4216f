namespace OmniStream.Worker.Migration;

/// <summary>A migration that would lose or mix state, refused before anything is written (the message says why and what to do).</summary>
public sealed class MigrationRefusedException : Exception
{
    /// <summary>Creates the exception with its reason.</summary>
    public MigrationRefusedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its reason and cause.</summary>
    public MigrationRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no detail.</summary>
    public MigrationRefusedException() : this("the migration was refused")
    {
    }
}
