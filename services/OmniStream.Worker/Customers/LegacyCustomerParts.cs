using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>
/// What a customer stored before the working state kept apart from its state: its journeys in the
/// journeys store and its timer's time in the timers store's index. A customer read in that layout
/// takes them into its state (<see cref="Migrate"/>), and they are deleted once the state is written
/// in the new one (<see cref="Written"/>), or with the customer.
/// </summary>
internal sealed class LegacyCustomerParts(ITaskContext task)
{
    // Customers read from the old layout and not written since, whose old parts are still to delete.
    private readonly HashSet<byte[]> _migrated = new(ByteArrayComparer.Instance);

    /// <summary>Takes the journeys and timer that <paramref name="key"/> kept apart into <paramref name="state"/>.</summary>
    public void Migrate(byte[] key, CustomerState state)
    {
        _migrated.Add(key);
        if (state.Journeys.Count == 0 && task.ReadOrSetAside(WorkerTopology.JourneysStore, key, KpiCodec.DecodeMarks) is { } marks)
        {
            foreach (var (channel, journey) in marks.Journeys)
            {
                state.Journeys[channel] = journey;
            }
        }
        if (task.Store(WorkerTopology.TimersStore).Find(DueTimers.LegacyIndexKey(key)) is { Length: sizeof(long) } ticks)
        {
            state.ArmedDue = DueTimers.LegacyIndexTime(ticks);
        }
        foreach (var entry in state.Timeline.Entries)
        {
            state.EarlierEventIds.Remove(entry.EventId);
        }
    }

    /// <summary>The state of <paramref name="key"/> was written in the new layout: its old parts go, if it had any.</summary>
    public void Written(byte[] key)
    {
        if (_migrated.Remove(key))
        {
            Delete(key);
        }
    }

    /// <summary>Deletes the old parts of <paramref name="key"/>.</summary>
    public void Delete(byte[] key)
    {
        task.Store(WorkerTopology.JourneysStore).Delete(key);
        task.Store(WorkerTopology.TimersStore).Delete(DueTimers.LegacyIndexKey(key));
    }
}
