using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Channels.Tracing;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka;

namespace OmniStream.Channels.Publishing;

/// <summary>
/// Publishes a channel's interaction events to <c>omni.interactions.{channel}</c>, keyed by
/// subject, through an idempotent producer; and, for the workers' privacy API, erasure requests to
/// <c>omni.privacy-requests</c>. Thread-safe; keep one per process.
/// </summary>
public sealed class ChannelPublisher : IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly AvroSerde<InteractionEvent> _serde;
    private readonly TimeProvider _time;

    /// <summary>Creates a publisher for the cluster in <paramref name="kafka"/>.</summary>
    public ChannelPublisher(KafkaOptions kafka, AvroSerde<InteractionEvent> serde, TimeProvider? time = null, string clientId = "omnistream-channel-publisher")
    {
        _producer = new ProducerBuilder<string, byte[]>(KafkaClientConfigs.Producer(kafka, clientId)).Build();
        _serde = serde;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Validates, completes (event id, receipt time, trace context) and publishes an interaction;
    /// completes when the cluster has it.
    /// </summary>
    /// <exception cref="ArgumentException">The event is incomplete, is an erasure request, or claims a time too far ahead; the message says which.</exception>
    public Task<TopicPartitionOffset> PublishAsync(InteractionEvent interaction, CancellationToken cancellationToken = default)
    {
        InteractionValidator.ThrowIfInvalid(interaction);
        InteractionValidator.ThrowIfFromTheFuture(interaction.occurredAt, _time.GetUtcNow().UtcDateTime);
        return ProduceAsync(TopicCatalog.Interactions(interaction.channel).Name, interaction, "publish interaction", cancellationToken);
    }

    /// <summary>
    /// Publishes an erasure request (an <see cref="ErasureRequested"/> payload whose subject is the customer) to
    /// <c>omni.privacy-requests</c>: for the workers' privacy API, whose principal alone may write that topic.
    /// </summary>
    /// <exception cref="ArgumentException">It is not an erasure request of a customer.</exception>
    public Task<TopicPartitionOffset> PublishErasureRequestAsync(InteractionEvent request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.payload is not ErasureRequested || string.IsNullOrWhiteSpace(request.subject?.customerId))
        {
            throw new ArgumentException("an erasure request needs an ErasureRequested payload and the customer's id as its subject", nameof(request));
        }
        return ProduceAsync(TopicCatalog.PrivacyRequests.Name, request, "publish erasure request", cancellationToken);
    }

    private async Task<TopicPartitionOffset> ProduceAsync(string topic, InteractionEvent interaction, string what, CancellationToken cancellationToken)
    {
        using var activity = TraceHeaders.Source.StartActivity(what);
        Complete(interaction, activity?.Id);
        var message = new Message<string, byte[]>
        {
            Key = interaction.subject.Key,
            Value = await _serde.SerializeAsync(interaction, topic, cancellationToken).ConfigureAwait(false),
            Headers = TraceHeaders.With(interaction.traceParent),
            // The receipt time: the record's time drives retention and stream time, which an event's own claimed time must not.
            Timestamp = new Timestamp(interaction.receivedAt),
        };
        var result = await _producer.ProduceAsync(topic, message, cancellationToken).ConfigureAwait(false);
        return result.TopicPartitionOffset;
    }

    /// <summary>Waits until queued events are delivered.</summary>
    public void Flush(TimeSpan timeout) => _producer.Flush(timeout);

    /// <inheritdoc />
    public void Dispose() => _producer.Dispose();

    private void Complete(InteractionEvent interaction, string? activityId)
    {
        if (interaction.eventId == Guid.Empty)
        {
            interaction.eventId = Guid.NewGuid();
        }
        interaction.receivedAt = _time.GetUtcNow().UtcDateTime;
        interaction.traceParent ??= activityId;
    }
}
