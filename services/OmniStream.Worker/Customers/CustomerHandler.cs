using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Channels.Tracing;
using OmniStream.Customers.State;
using OmniStream.Decisions.CartReminders;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Telemetry;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>
/// Stage <c>customers</c>: folds each interaction into its customer's state (the customers store),
/// merges what an anonymous id gathered into the customer it was tied to, erases on request, and
/// arms a timer when a cart reminder becomes due; when the timer fires, emits the reminder on the
/// customer's channel. State, timers and outputs of a record commit together.
/// </summary>
public sealed class CustomerHandler(
    AvroSerde<InteractionEvent> interactions,
    AvroSerde<NextBestAction> actions,
    CustomerFold fold,
    CartReminderPolicy cartReminders,
    CustomerErasure erasure,
    SegmentWriter segments,
    ProfileWriter profiles,
    DecisionMetrics decisionMetrics,
    CustomerMetrics metrics,
    string customersInput) : IStreamHandler
{
    private readonly CustomerMerge _merge = new(fold);

    /// <inheritdoc />
    public string Stage => WorkerTopology.CustomersStage;

    /// <inheritdoc />
    public IReadOnlyList<string> InputTopics { get; } = [customersInput];

    /// <inheritdoc />
    public IReadOnlyList<string> Stores { get; } = [WorkerTopology.CustomersStore, WorkerTopology.TimersStore];

    /// <inheritdoc />
    public bool WaitsForUpstream => true;

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
            await store.SaveAsync(key, _merge.Merge(into, CustomerStateCodec.Decode(record.Message.Value)), cancellationToken).ConfigureAwait(false);
            metrics.Merged();
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
        await store.SaveAsync(key, next, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var store = Store(task);
        foreach (var key in store.Timers.TakeDue(now))
        {
            if (store.Load(key) is not { } state || cartReminders.Decide(state, now) is not { } action)
            {
                continue;
            }
            var topic = TopicCatalog.Actions(action.channel).Name;
            var value = await actions.SerializeAsync(action, topic, cancellationToken).ConfigureAwait(false);
            task.Send(topic, Encoding.UTF8.GetBytes(action.customerId), value, TraceHeaders.With(action.traceParent));
            await store.SaveAsync(key, fold.WithAction(state.WithCartReminded(), action), cancellationToken).ConfigureAwait(false);
            decisionMetrics.Emitted(action);
        }
    }

    /// <inheritdoc />
    public bool IsTransient(Exception exception) => exception is AvroDecodeException { IsTransient: true };

    private CustomerStore Store(ITaskContext task) => task.Local(nameof(CustomerStore), () => new CustomerStore(task, cartReminders, segments, profiles));

    // The id was just tied to a customer: its state leaves this key and goes, through the stage's own
    // input, to the customer's task, which merges it.
    private void HandOver(ITaskContext task, CustomerStore store, byte[] key, string customer)
    {
        if (store.Load(key) is not { } gathered)
        {
            return;
        }
        store.Delete(key);
        task.Send(customersInput, new Message<byte[], byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(customer),
            Value = CustomerStateCodec.Encode(gathered),
            Headers = StageHeaders.With(null, StageHeaders.AbsorbFrom, gathered.CustomerId),
        });
    }
}
