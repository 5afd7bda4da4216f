using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Channels.Tracing;
using OmniStream.Customers.Journeys;
using OmniStream.Decisions.CartReminders;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Processing;
using OmniStream.Worker.Telemetry;

namespace OmniStream.Worker.Journeys;

/// <summary>
/// Folds each interaction into its customer's journey and, when a cart reminder comes due,
/// emits it on the customer's channel. Journeys live in memory for now: the stateful engine
/// (RocksDB stores with changelogs) replaces the dictionary.
/// </summary>
public sealed class JourneyHandler(
    AvroSerde<InteractionEvent> interactions,
    AvroSerde<NextBestAction> actions,
    CartReminderPolicy cartReminders,
    DecisionMetrics metrics) : IRecordHandler
{
    private readonly Dictionary<string, CustomerJourney> _journeys = [];
    private readonly JourneyTimers _timers = new();

    /// <inheritdoc />
    public IReadOnlyCollection<string> Topics { get; } = TopicCatalog.AllInteractions.Select(t => t.Name).ToList();

    /// <inheritdoc />
    public async ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, IRecordSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var interaction = await interactions.DeserializeAsync(record.Message.Value, cancellationToken).ConfigureAwait(false);
        var key = interaction.subject.Key;
        var journey = JourneyFold.Apply(_journeys.GetValueOrDefault(key) ?? CustomerJourney.Empty(key), interaction);
        _journeys[key] = journey;
        if (cartReminders.DueAt(journey) is { } due)
        {
            _timers.Schedule(key, due);
        }
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTime now, IRecordSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var key in _timers.TakeDue(now))
        {
            var journey = _journeys[key];
            if (cartReminders.Decide(journey, now) is not { } action)
            {
                continue;
            }
            var topic = TopicCatalog.Actions(action.channel).Name;
            var value = await actions.SerializeAsync(action, topic, cancellationToken).ConfigureAwait(false);
            sink.Send(topic, Encoding.UTF8.GetBytes(action.customerId), value, TraceHeaders.With(action.traceParent));
            _journeys[key] = journey.WithCartReminded();
            metrics.Emitted(action);
        }
    }

    /// <inheritdoc />
    public bool IsTransient(Exception exception) => exception is AvroDecodeException { IsTransient: true };
}
