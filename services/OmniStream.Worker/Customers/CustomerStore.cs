using System.Text.Json;
using OmniStream.Customers.State;
using OmniStream.Decisions.CartReminders;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>A task's view of the customers store and the timers that go with each customer.</summary>
public sealed class CustomerStore(ITaskContext task, CartReminderPolicy cartReminders)
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
    public CustomerState? Load(byte[] key)
    {
        if (_states.Find(key) is not { } bytes)
        {
            return null;
        }
        try
        {
            return CustomerStateCodec.Decode(bytes);
        }
        catch (JsonException e)
        {
            task.SetAside(WorkerTopology.CustomersStore, key, bytes, e);
            _states.Delete(key);
            return null;
        }
    }

    /// <summary>Stores <paramref name="state"/> and arms or cancels its timer.</summary>
    public void Save(byte[] key, CustomerState state)
    {
        _states.Put(key, CustomerStateCodec.Encode(state));
        if (cartReminders.DueAt(state) is { } due)
        {
            Timers.Schedule(key, due);
        }
        else
        {
            Timers.Cancel(key);
        }
    }

    /// <summary>Removes the state of <paramref name="key"/> and its timer (tombstones in both changelogs).</summary>
    public void Delete(byte[] key)
    {
        _states.Delete(key);
        Timers.Cancel(key);
    }
}
