namespace OmniStream.Streaming.State;

/// <summary>
/// A task's store cannot be opened for a reason other than corrupt files (another process holds its
/// lock, the disk is full, a permission): its files are left as they are, and the stage stops saying
/// why, rather than wiping a store that may hold what its changelog no longer does.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception with what failed and its cause.</summary>
    public StoreUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with what failed.</summary>
    public StoreUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with no detail.</summary>
    public StoreUnavailableException() : this("a store cannot be opened")
    {
    }
}
