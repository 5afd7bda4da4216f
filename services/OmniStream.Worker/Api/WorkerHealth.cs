using System.Text.Json.Serialization;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Worker.Api;

/// <summary>How one stage of this instance is doing.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Status">Whether its loop runs.</param>
/// <param name="AssignedPartitions">The input partitions (tasks) this instance owns.</param>
/// <param name="InputPartitions">The input partitions of the stage, over all instances.</param>
/// <param name="LagRecords">Records waiting in the owned partitions.</param>
/// <param name="Aborts">Transactions aborted and replayed since start.</param>
/// <param name="Failure">Why the loop failed, when it did.</param>
public sealed record StageHealth(string Stage, StageStatus Status, int AssignedPartitions, int InputPartitions, long LagRecords, long Aborts, string? Failure)
{
    /// <summary>The health of <paramref name="engine"/>'s stage now.</summary>
    public static StageHealth Of(StreamEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return new(engine.Stage, engine.Status, engine.AssignedPartitions, engine.InputPartitions, engine.InputLag, engine.Aborts, engine.Failure);
    }
}

/// <summary>The answer of <c>GET /health</c>: <c>up</c> when every stage's loop runs, else <c>down</c>, with each stage's figures.</summary>
/// <param name="Status"><c>up</c> or <c>down</c>.</param>
/// <param name="Stages">Each stage.</param>
public sealed record WorkerHealth(string Status, IReadOnlyList<StageHealth> Stages)
{
    /// <summary>Whether every stage's loop runs.</summary>
    [JsonIgnore]
    public bool IsUp => Status == "up";

    /// <summary>The health of an instance whose stages are <paramref name="stages"/>.</summary>
    public static WorkerHealth Of(IReadOnlyList<StageHealth> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        return new(stages.Count > 0 && stages.All(s => s.Status == StageStatus.Running) ? "up" : "down", stages);
    }
}
