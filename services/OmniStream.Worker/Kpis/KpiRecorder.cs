using System.Text;
using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Kpis;

/// <summary>
/// Stage <c>customers</c>' side of the KPIs: keeps each customer's current journeys in the journeys
/// store, gathers the counts of the task's records in memory, and when the transaction commits
/// sends them, one record per cell, to stage <c>kpis</c>. Counts of an aborted transaction go with
/// the task's memory and are counted again when its records are replayed.
/// </summary>
public sealed class KpiRecorder(KpiTracker tracker, string kpisInput)
{
    /// <summary>Counts what <paramref name="interaction"/> did to the customer <paramref name="key"/> (journeys, surveys, actions an order converted).</summary>
    public void Interaction(ITaskContext task, byte[] key, CustomerState before, CustomerState after, InteractionEvent interaction)
    {
        var marks = Journeys(task, key);
        var (next, facts) = tracker.Track(marks, before, after, interaction);
        Save(task, key, marks, next);
        Gather(task, facts);
        Gather(task, KpiTracker.Converted(before, after));
    }

    /// <summary>Joins the journeys gathered under an id just tied to the customer <paramref name="key"/> (sent with its state).</summary>
    public void Absorbed(ITaskContext task, byte[] key, CustomerState gathered, byte[]? gatheredJourneys)
    {
        if (gatheredJourneys is null)
        {
            return;
        }
        var marks = Journeys(task, key);
        var (next, facts) = tracker.Absorb(marks, KpiCodec.DecodeMarks(gatheredJourneys), gathered);
        Save(task, key, marks, next);
        Gather(task, facts);
    }

    /// <summary>Removes the journeys of <paramref name="key"/> and returns them encoded (null when none), to go with its state.</summary>
    public static byte[]? HandOver(ITaskContext task, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(task);
        var bytes = task.Store(WorkerTopology.JourneysStore).Find(key);
        Forget(task, key);
        return bytes;
    }

    /// <summary>Removes the journeys of <paramref name="key"/> (erasure).</summary>
    public static void Forget(ITaskContext task, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.Store(WorkerTopology.JourneysStore).Delete(key);
    }

    /// <summary>Adds <paramref name="facts"/> to the task's counts.</summary>
    public static void Gather(ITaskContext task, IEnumerable<KpiFact> facts)
    {
        ArgumentNullException.ThrowIfNull(task);
        Buffer(task).Add(facts);
    }

    /// <summary>Sends the task's counts since the last commit, one record per cell.</summary>
    public void Flush(ITaskContext task)
    {
        ArgumentNullException.ThrowIfNull(task);
        foreach (var (cell, counts) in Buffer(task).Take())
        {
            task.Send(kpisInput, Encoding.UTF8.GetBytes(cell), KpiCodec.Encode(counts));
        }
    }

    private static KpiBuffer Buffer(ITaskContext task) => task.Local(nameof(KpiBuffer), () => new KpiBuffer());

    private static JourneyMarks Journeys(ITaskContext task, byte[] key) =>
        task.ReadOrSetAside(WorkerTopology.JourneysStore, key, KpiCodec.DecodeMarks) ?? JourneyMarks.Empty;

    private static void Save(ITaskContext task, byte[] key, JourneyMarks before, JourneyMarks after)
    {
        if (!ReferenceEquals(before, after))
        {
            task.Store(WorkerTopology.JourneysStore).Put(key, KpiCodec.Encode(after));
        }
    }
}
