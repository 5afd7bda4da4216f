using Confluent.Kafka;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Customers.Identity;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Ingest;

/// <summary>
/// Stage <c>ingest</c>: reads every channel's interactions, the erasure requests of the privacy API
/// and the outcomes channels report on actions, and forwards each record, bytes, headers and
/// timestamp untouched. An event that names
/// its customer and ties no id to them goes straight to stage <c>customers</c>, keyed by the
/// customer (<see cref="IdentityResolver.NamedCustomer"/>: identity resolution would route it there
/// unchanged), one hop less; any other record goes to stage <c>identity</c>, keyed by the id
/// resolution will look up (an outcome by its customer id, marked with header
/// <see cref="StageHeaders.Outcome"/>), so that an id's records and the link that ties it to a
/// customer meet in one task. A record that does not decode is dead-lettered here, before it
/// reaches any state, and so is a record that carries a header reserved to the stages
/// (<see cref="StageHeaders.FindInternal"/>), and an erasure request anywhere but on the privacy topic
/// (<see cref="MisplacedRequestException"/>): nothing from outside can steer the worker.
/// </summary>
public sealed class IngestHandler(AvroSerde<InteractionEvent> interactions, AvroSerde<ActionOutcome> outcomes, TimeProvider time, string identityInput, string customersInput)
    : IStreamHandler
{
    private static readonly string OutcomesTopic = TopicCatalog.ActionOutcomes.Name;
    private static readonly string PrivacyTopic = TopicCatalog.PrivacyRequests.Name;

    /// <inheritdoc />
    public string Stage => WorkerTopology.IngestStage;

    /// <inheritdoc />
    public IReadOnlyList<string> InputTopics { get; } = WorkerTopology.IngestInputs;

    /// <inheritdoc />
    public IReadOnlyList<string> Stores { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<string> DownstreamTopics { get; } = [identityInput, customersInput];

    /// <inheritdoc />
    public async ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(task);
        // These topics are written by channel backends: their records are data, never requests between stages.
        if (StageHeaders.FindInternal(record.Message.Headers) is { } header)
        {
            throw new InternalHeaderException(header, record.Topic);
        }
        if (record.Topic == OutcomesTopic)
        {
            var outcome = await outcomes.DeserializeAsync(record.Message.Value, cancellationToken).ConfigureAwait(false);
            Forward(task, record, outcome.customerId, StageHeaders.With(record.Message.Headers, StageHeaders.Outcome, outcome.actionId.ToString()));
            return;
        }
        if (await interactions.CurrentBodyAsync(record.Message.Value, cancellationToken).ConfigureAwait(false) is { } body)
        {
            Route(task, record, body);
            return;
        }
        // Written with another version of the schema: decoded whole, resolved to the current one.
        var interaction = await interactions.DeserializeAsync(record.Message.Value, cancellationToken).ConfigureAwait(false);
        // What the SDK checks before publishing, checked again: a producer may bypass the SDK.
        InteractionValidator.ThrowIfIncomplete(interaction);
        ThrowIfMisplaced(interaction.payload is ErasureRequested, record.Topic);
        InteractionValidator.ThrowIfFromTheFuture(interaction.occurredAt, Now);
        if (IdentityResolver.NamedCustomer(interaction) is { } customer)
        {
            task.Send(customersInput, NoLaterThanNow(Rekeyed.Message(record, customer, record.Message.Headers)));
            return;
        }
        Forward(task, record, IdentityResolver.LookupKey(interaction), record.Message.Headers);
    }

    // Written with the current schema: routed from the few fields it needs, read in place (the rest checked, not decoded).
    private void Route(ITaskContext task, ConsumeResult<byte[], byte[]> record, int bodyStart)
    {
        var body = record.Message.Value.AsSpan(bodyStart);
        var route = AvroBody.Read(body, nameof(InteractionEvent), InteractionRoute.Read);
        ThrowIfMisplaced(route.IsErasureRequest, record.Topic);
        InteractionValidator.ThrowIfInvalid(route.Channel, route.OccurredAt, route.HasSubjectId(body));
        InteractionValidator.ThrowIfFromTheFuture(route.OccurredAt, Now);
        if (route.NamedCustomer(body) is { } customer)
        {
            task.Send(customersInput, NoLaterThanNow(Rekeyed.Message(record, KeyOf(body[customer], "customerId"), record.Message.Headers)));
            return;
        }
        task.Send(identityInput, NoLaterThanNow(Rekeyed.Message(record, KeyOf(body[route.LookupKey(body)!.Value], "anonymousId or deviceId"), record.Message.Headers)));
    }

    // An id read in place becomes the next stages' key as it is: it must be UTF-8 text, as Avro's strings are, since the
    // stores tell a customer's key from their own marks by bytes no UTF-8 text holds (0xFF: an erasure mark, a state's parts).
    private static byte[] KeyOf(ReadOnlySpan<byte> id, string field) =>
        System.Text.Unicode.Utf8.IsValid(id) ? id.ToArray() : throw new ArgumentException($"InteractionEvent.subject.{field} is not UTF-8 text");

    // Erasure requests come from the privacy topic alone, which carries nothing else: whoever may write a channel's events may not erase.
    private static void ThrowIfMisplaced(bool isErasureRequest, string topic)
    {
        if (isErasureRequest != (topic == PrivacyTopic))
        {
            throw new MisplacedRequestException(isErasureRequest
                ? $"{topic}: {InteractionValidator.NotAChannelEvent}, on {PrivacyTopic}"
                : $"{PrivacyTopic} carries erasure requests only (ErasureRequested), not a channel's events");
        }
    }

    private void Forward(ITaskContext task, ConsumeResult<byte[], byte[]> record, string key, Headers? headers) =>
        task.Send(identityInput, NoLaterThanNow(Rekeyed.Message(record, key, headers)));

    // A record's time from outside (a producer sets it) is kept unless it is ahead of the clock: the next stages' stream time
    // and the internal topics' retention follow it.
    private Message<byte[], byte[]?> NoLaterThanNow(Message<byte[], byte[]?> message)
    {
        var now = Now;
        if (message.Timestamp.Type == TimestampType.NotAvailable || message.Timestamp.UtcDateTime > now)
        {
            message.Timestamp = new Timestamp(now);
        }
        return message;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <inheritdoc />
    public ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public bool IsTransient(Exception exception) => RegistryUnavailableException.IsOutage(exception);
}
