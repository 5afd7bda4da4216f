using OmniStream.Customers.State;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>
/// Stage <c>customers</c>: folds each interaction into its customer's state (the customers store),
/// merges what an anonymous id gathered into the customer it was tied to, records action outcomes,
/// erases on request, counts KPIs, decides the next best actions the policies call for, and arms a
/// timer for the customer's next waiting moment (a cart left idle, the morning after an order) or
/// for when time alone may change their segments. It reads each record's kind once and hands it to
/// its step (<see cref="CustomerSteps"/>); state, timers and outputs of a record commit together.
/// </summary>
public sealed class CustomerHandler(CustomerSteps steps, string customersInput) : IStreamHandler
{
    private readonly CacheBudget _cache = new(steps.Options.StateCacheBytes);

    /// <inheritdoc />
    public string Stage => WorkerTopology.CustomersStage;

    /// <inheritdoc />
    public IReadOnlyList<string> InputTopics { get; } = [customersInput];

    /// <inheritdoc />
    public IReadOnlyList<string> Stores { get; } = [WorkerTopology.CustomersStore, WorkerTopology.TimersStore, WorkerTopology.JourneysStore, WorkerTopology.ActionStatsStore];

    /// <inheritdoc />
    public IReadOnlyList<string> UpstreamStages { get; } = [WorkerTopology.IngestStage, WorkerTopology.IdentityStage];

    /// <summary>The memory this instance's tasks keep customers' states in, with its hits and misses.</summary>
    public CacheBudget Cache => _cache;

    /// <inheritdoc />
    public async ValueTask HandleAsync(Confluent.Kafka.ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(task);
        var customers = Task(task);
        var key = record.Message.Key;
        var value = record.Message.Value;
        var kind = CustomerRecord.Of(record.Message.Headers);
        switch (kind.Kind)
        {
            case CustomerRecordKind.HandOver:
                steps.HandOver(customers, key, kind.Customer!);
                break;
            case CustomerRecordKind.Absorb:
                await steps.AbsorbAsync(customers, key, value, kind.Journeys, cancellationToken).ConfigureAwait(false);
                break;
            case CustomerRecordKind.Outcome:
                await steps.OutcomeAsync(customers, key, value, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await steps.EventAsync(customers, key, value, kind.RefusedOwner, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <inheritdoc />
    public void OnCommitting(ITaskContext task)
    {
        steps.Commit(Task(task));
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var customers = Task(task);
        foreach (var key in customers.Timers.TakeDue(now))
        {
            // A timer that fails is retried or set aside as a record would be; the others still fire.
            await task.FireAsync(WorkerTopology.TimersStore, key, now, (steps, customers, key, now), static (s, token) => s.steps.TimerAsync(s.customers, s.key, s.now, token),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public bool IsTransient(Exception exception) => RegistryUnavailableException.IsOutage(exception);

    // Made in the task's first transaction, where the segments' members stored before they were counted are counted, once.
    private CustomerTask Task(ITaskContext task) => task.Local(nameof(CustomerTask), (task, _cache, steps), static s =>
    {
        var customers = new CustomerTask(s.task, s._cache, s.steps.Options.Lateness);
        s.steps.CountStoredMembers(customers);
        return customers;
    });
}
