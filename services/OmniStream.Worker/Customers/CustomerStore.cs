using OmniStream.Customers.State;
using OmniStream.Decisions.CartReminders;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Kpis;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>A task's view of the customers store, with the timers and the published profile that go with each customer.</summary>
public sealed class CustomerStore(ITaskContext task, CartReminderPolicy cartReminders, SegmentWriter segments, ProfileWriter profiles)
{
    private readonly IKeyValueStore _states = task.Store(WorkerTopology.CustomersStore);

    /// <summary>The task's pending timers, by customer key.</summary>
    public PersistentTimers Timers { get; } =
        task.Local(WorkerTopology.TimersStore, () => new PersistentTimers(task.Store(WorkerTopology.TimersStore)));

    /// <summary>
    /// The stored state of <paramref name="key"/>, or null. A stored state that cannot be read is set
    /// aside (dead letter) and the customer starts afresh: failing instead would dead-letter every
    /// later event of the customer.
    /// </summary>
    public CustomerState? Load(byte[] key) =>
        task.ReadOrSetAside(WorkerTopology.CustomersStore, key, bytes => CustomerStateCodec.Decode(bytes));

    /// <summary>
    /// Stores <paramref name="state"/> with its segments re-evaluated, arms its timer for the cart
    /// reminder or the next time its segments may change by time alone (whichever comes first) or
    /// cancels it, and publishes its profile; returns what it stored.
    /// </summary>
    public async ValueTask<CustomerState> SaveAsync(byte[] key, CustomerState state, CancellationToken cancellationToken)
    {
        state = await segments.ApplyAsync(task, key, state, cancellationToken).ConfigureAwait(false);
        await StoreAsync(key, state, cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>Re-evaluates the segments of <paramref name="state"/> as of now: stores it if they changed, else only re-arms its timer.</summary>
    public async ValueTask RefreshAsync(byte[] key, CustomerState state, CancellationToken cancellationToken)
    {
        var refreshed = await segments.ApplyAsync(task, key, state, cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(refreshed, state))
        {
            Arm(key, state);
        }
        else
        {
            await StoreAsync(key, refreshed, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask StoreAsync(byte[] key, CustomerState state, CancellationToken cancellationToken)
    {
        _states.Put(key, CustomerStateCodec.Encode(state));
        Arm(key, state);
        await profiles.WriteAsync(task, key, state, cancellationToken).ConfigureAwait(false);
    }

    private void Arm(byte[] key, CustomerState state)
    {
        if (Earliest(cartReminders.DueAt(state), segments.NextChange(state)) is { } due)
        {
            Timers.Schedule(key, due);
        }
        else
        {
            Timers.Cancel(key);
        }
    }

    /// <summary>Removes the state of <paramref name="key"/>, its timer, its journeys and its profile (tombstones in the changelogs and the profiles topic).</summary>
    public void Delete(byte[] key)
    {
        _states.Delete(key);
        KpiRecorder.Forget(task, key);
        Timers.Cancel(key);
        ProfileWriter.Remove(task, key);
    }

    private static DateTime? Earliest(DateTime? first, DateTime? second) =>
        first is { } a && second is { } b ? (a < b ? a : b) : first ?? second;
}
