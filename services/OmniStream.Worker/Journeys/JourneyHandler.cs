using System.Text;
using System.Text.Json;
using OmniStream.Channels.Topics;
using OmniStream.Channels.Tracing;
using OmniStream.Customers.Journeys;
using OmniStream.Decisions.CartReminders;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Telemetry;
using OmniStream.Worker.Topology;
using Confluent.Kafka;

namespace OmniStream.Worker.Journeys;

/// <summary>
/// Stage <c>journeys</c>: folds each interaction into its subject's journey (kept in the task's
/// journeys store) and arms a timer when a cart reminder becomes due; when the timer fires, emits
/// the reminder on the customer's channel. State, timers and actions commit together.
/// </summary>
public sealed class JourneyHandler(
    AvroSerde<InteractionEvent> interactions,
    AvroSerde<NextBestAction> actions,
    CartReminderPolicy cartReminders,
    DecisionMetrics metrics,
    string repartitionTopic) : IStreamHandler
{
    /// <inheritdoc />
    public string Stage => WorkerTopology.JourneysStage;

    /// <inheritdoc />
    public IReadOnlyList<string> InputTopics { get; } = [repartitionTopic];

    /// <inheritdoc />
    public IReadOnlyList<string> Stores { get; } = [WorkerTopology.JourneysStore, WorkerTopology.TimersStore];

    /// <inheritdoc />
    public bool WaitsForUpstream => true;

    /// <inheritdoc />
    public async ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(task);
        var interaction = await interactions.DeserializeAsync(record.Message.Value, cancellationToken).ConfigureAwait(false);
        var subject = interaction.subject.Key;
        var key = Encoding.UTF8.GetBytes(subject);
        var journeys = task.Store(WorkerTopology.JourneysStore);
        var journey = JourneyFold.Apply(Load(task, key) ?? CustomerJourney.Empty(subject), interaction);
        journeys.Put(key, JourneyCodec.Encode(journey));
        var timers = Timers(task);
        if (cartReminders.DueAt(journey) is { } due)
        {
            timers.Schedule(key, due);
        }
        else
        {
            timers.Cancel(key);
        }
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var journeys = task.Store(WorkerTopology.JourneysStore);
        foreach (var key in Timers(task).TakeDue(now))
        {
            if (Load(task, key) is not { } journey || cartReminders.Decide(journey, now) is not { } action)
            {
                continue;
            }
            var topic = TopicCatalog.Actions(action.channel).Name;
            var value = await actions.SerializeAsync(action, topic, cancellationToken).ConfigureAwait(false);
            task.Send(topic, Encoding.UTF8.GetBytes(action.customerId), value, TraceHeaders.With(action.traceParent));
            journeys.Put(key, JourneyCodec.Encode(journey.WithCartReminded()));
            metrics.Emitted(action);
        }
    }

    /// <inheritdoc />
    public bool IsTransient(Exception exception) => exception is AvroDecodeException { IsTransient: true };

    private static PersistentTimers Timers(ITaskContext task) =>
        task.Local(WorkerTopology.TimersStore, () => new PersistentTimers(task.Store(WorkerTopology.TimersStore)));

    // A stored journey that cannot be read is set aside (dead letter) and the subject starts afresh:
    // failing instead would dead-letter every later event of the subject.
    private static CustomerJourney? Load(ITaskContext task, byte[] key)
    {
        if (task.Store(WorkerTopology.JourneysStore).Find(key) is not { } bytes)
        {
            return null;
        }
        try
        {
            return JourneyCodec.Decode(bytes);
        }
        catch (JsonException e)
        {
            task.SetAside(WorkerTopology.JourneysStore, key, bytes, e);
            task.Store(WorkerTopology.JourneysStore).Delete(key);
            return null;
        }
    }
}
