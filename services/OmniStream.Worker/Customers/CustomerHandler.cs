using System.Text;
using Confluent.Kafka;
using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Decisions;
using OmniStream.Worker.Kpis;
using OmniStream.Worker.Telemetry;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>
/// Stage <c>customers</c>: folds each interaction into its customer's state (the customers store),
/// merges what an anonymous id gathered into the customer it was tied to, records action outcomes,
/// erases on request, counts KPIs, decides the next best actions the policies call for, and arms a
/// timer for the customer's next waiting moment (a cart left idle, the morning after an order) or
/// for when time alone may change their segments. State, timers and outputs of a record commit together.
/// </summary>
public sealed class CustomerHandler(
    AvroSerde<InteractionEvent> interactions,
    AvroSerde<ActionOutcome> outcomes,
    KpiRecorder kpis,
    CustomerFold fold,
    ActionDecider decider,
    CustomerErasure erasure,
    SegmentWriter segments,
    ProfileWriter profiles,
    TimeProvider time,
    CustomerMetrics metrics,
    string customersInput) : IStreamHandler
{
    private readonly CustomerMerge _merge = new(fold);
    private readonly CacheBudget _cacheBudget = new(fold.Options.StateCacheBytes);

    /// <inheritdoc />
    public string Stage => WorkerTopology.CustomersStage;

    /// <inheritdoc />
    public IReadOnlyList<string> InputTopics { get; } = [customersInput];

    /// <inheritdoc />
    public IReadOnlyList<string> Stores { get; } = [WorkerTopology.CustomersStore, WorkerTopology.TimersStore, WorkerTopology.JourneysStore, WorkerTopology.ActionStatsStore];

    /// <inheritdoc />
    public IReadOnlyList<string> UpstreamStages { get; } = [WorkerTopology.IngestStage, WorkerTopology.IdentityStage];

    /// <inheritdoc />
    public async ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(task);
        var key = record.Message.Key;
        var store = Store(task);
        var headers = record.Message.Headers;
        if (StageHeaders.Find(headers, StageHeaders.MergeInto) is { } customer)
        {
            HandOver(task, store, key, customer);
            return;
        }
        if (StageHeaders.Find(headers, StageHeaders.AbsorbFrom) is not null)
        {
            var into = store.Load(key) ?? CustomerState.Empty(Encoding.UTF8.GetString(key));
            var gathered = CustomerStateCodec.Decode(record.Message.Value);
            var merged = _merge.Merge(into, gathered);
            if (ReferenceEquals(merged, into))
            {
                return;
            }
            await store.SaveAsync(key, merged, null, cancellationToken).ConfigureAwait(false);
            kpis.Absorbed(task, key, gathered, headers.TryGetLastBytes(StageHeaders.Journeys, out var journeys) ? journeys : null);
            metrics.Merged();
            return;
        }
        if (StageHeaders.Find(headers, StageHeaders.Outcome) is not null)
        {
            await RecordOutcomeAsync(task, store, key, record.Message.Value, cancellationToken).ConfigureAwait(false);
            return;
        }
        var interaction = await interactions.DeserializeAsync(record.Message.Value, cancellationToken).ConfigureAwait(false);
        if (interaction.payload is ErasureRequested)
        {
            await erasure.EraseAsync(task, store, key, record.Message.Value, interaction, cancellationToken).ConfigureAwait(false);
            return;
        }
        var state = store.Load(key) ?? CustomerState.Empty(Encoding.UTF8.GetString(key));
        var (next, verdict) = fold.Apply(state, interaction);
        switch (verdict)
        {
            case FoldVerdict.Duplicate:
                return;
            case FoldVerdict.TooLate:
                metrics.Late();
                throw new LateEventException(interaction.eventId, interaction.occurredAt, state.LastEventAt, fold.Options.Lateness);
        }
        if (StageHeaders.Find(headers, StageHeaders.LinkRefused) is { } owner && interaction.payload is Identified refused)
        {
            next = next with
            {
                LinkedIds = next.LinkedIds.Remove(refused.anonymousId),
                RefusedLinks = next.RefusedLinks.Add(new RefusedLink(refused.anonymousId, owner, interaction.eventId, interaction.occurredAt)),
            };
        }
        var saved = await store.SaveAsync(key, next, interaction, cancellationToken).ConfigureAwait(false);
        kpis.Interaction(task, key, state, saved, interaction);
        ArmStatsStore.Converted(task, state, saved);
    }

    /// <inheritdoc />
    public void OnCommitting(ITaskContext task)
    {
        Store(task).WriteUnsaved();
        kpis.Flush(task);
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var store = Store(task);
        foreach (var key in store.Timers.TakeDue(now))
        {
            // A timer that fails is retried or set aside as a record would be; the others still fire.
            await task.FireAsync(WorkerTopology.TimersStore, key, now, async token =>
            {
                if (store.Load(key) is { } state)
                {
                    await store.FireAsync(key, state, now, token).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public bool IsTransient(Exception exception) => exception is AvroDecodeException { IsTransient: true };

    private CustomerStore Store(ITaskContext task) => task.Local(nameof(CustomerStore),
        () => new CustomerStore(task, decider, segments, profiles, time, _cacheBudget));

    // The id was just tied to a customer: its state leaves this key and goes, through the stage's own
    // input, to the customer's task, which merges it.
    private void HandOver(ITaskContext task, CustomerStore store, byte[] key, string customer)
    {
        if (store.Load(key) is not { } gathered)
        {
            return;
        }
        var journeys = KpiRecorder.HandOver(task, key);
        store.Delete(key);
        var headers = StageHeaders.With(null, StageHeaders.AbsorbFrom, gathered.CustomerId);
        if (journeys is not null)
        {
            headers.Add(StageHeaders.Journeys, journeys);
        }
        task.Send(customersInput, new Message<byte[], byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(customer),
            Value = CustomerStateCodec.Encode(gathered),
            Headers = headers,
        });
    }

    // An outcome changes nothing for a customer or action no longer held (erased, pruned): it is counted, not refused.
    private async ValueTask RecordOutcomeAsync(ITaskContext task, CustomerStore store, byte[] key, byte[] value, CancellationToken cancellationToken)
    {
        var outcome = await outcomes.DeserializeAsync(value, cancellationToken).ConfigureAwait(false);
        var state = store.Load(key);
        var next = state is null ? null : CustomerFold.WithOutcome(state, outcome);
        metrics.Outcome(matched: state is not null && state.Actions.Any(a => a.ActionId == outcome.actionId));
        if (state is null || next is null || ReferenceEquals(next, state))
        {
            return;
        }
        await store.SaveAsync(key, next, null, cancellationToken).ConfigureAwait(false);
        KpiRecorder.Gather(task, KpiTracker.Converted(state, next));
        ArmStatsStore.Converted(task, state, next);
    }
}
