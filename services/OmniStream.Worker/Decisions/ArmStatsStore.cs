using System.Text;
using System.Text.Json;
using OmniStream.Customers.State;
using OmniStream.Decisions.Learning;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Decisions;

/// <summary>
/// The learning counts of a task (actions sent and converted per arm), in store <c>action-stats</c>
/// of stage <c>customers</c>: each partition learns from its own customers, and its counts commit
/// with the decisions and outcomes that change them.
/// </summary>
public static class ArmStatsStore
{
    /// <summary>The counts of an arm, as the task knows them.</summary>
    public static Func<string, ArmStats> Reader(ITaskContext task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var store = task.Store(WorkerTopology.ActionStatsStore);
        return arm => store.Find(Encoding.UTF8.GetBytes(arm)) is { } bytes ? JsonSerializer.Deserialize<ArmStats>(bytes) ?? ArmStats.None : ArmStats.None;
    }

    /// <summary>Counts an action sent under <paramref name="arm"/>.</summary>
    public static void Sent(ITaskContext task, string arm) => Update(task, arm, stats => stats.WithSent());

    /// <summary>Counts a conversion of every action sent that converted from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static void Converted(ITaskContext task, CustomerState before, CustomerState after)
    {
        foreach (var action in ActionAttribution.NewlyConverted(before, after).Where(a => a is { Withheld: false, Arm: not null }))
        {
            Update(task, action.Arm!, stats => stats.WithConverted());
        }
    }

    private static void Update(ITaskContext task, string arm, Func<ArmStats, ArmStats> change)
    {
        var updated = change(Reader(task)(arm));
        task.Store(WorkerTopology.ActionStatsStore).Put(Encoding.UTF8.GetBytes(arm), JsonSerializer.SerializeToUtf8Bytes(updated));
    }
}
