namespace OmniStream.Kafka.Operations;

/// <summary>A stage (or another part of a worker's run) stopped on an error it cannot go on after; the message names it and the cause.</summary>
public sealed class StageFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="stage"/>, stopped by <paramref name="innerException"/>.</summary>
    public StageFailedException(string stage, Exception innerException)
        : base($"stage {stage} failed: {innerException?.GetType().Name}: {innerException?.Message.ReplaceLineEndings(" ")}", innerException)
    {
        Stage = stage;
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public StageFailedException(string message) : base(message)
    {
        Stage = "";
    }

    /// <summary>Creates the exception with no detail.</summary>
    public StageFailedException() : this("a stage failed")
    {
    }

    /// <summary>The stage that failed.</summary>
    public string Stage { get; }
}
