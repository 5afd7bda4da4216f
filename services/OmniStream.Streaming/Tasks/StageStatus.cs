namespace OmniStream.Streaming.Tasks;

/// <summary>Where a stage's loop (<see cref="StreamEngine.RunAsync"/>) stands.</summary>
public enum StageStatus
{
    /// <summary>Not running yet: checking its topics, joining its group.</summary>
    Starting,

    /// <summary>Reading its input (it may own no partition: other instances may hold them all).</summary>
    Running,

    /// <summary>Stopped on request, after its last commit.</summary>
    Stopped,

    /// <summary>Stopped by an error it cannot go on after (a fenced instance, a missing topic).</summary>
    Failed,
}
