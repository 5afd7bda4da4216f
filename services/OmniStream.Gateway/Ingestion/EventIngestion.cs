using System.Text.Json;
using Confluent.Kafka;
using OmniStream.Adapters;
using OmniStream.Adapters.Json;
using OmniStream.Channels.Publishing;
using OmniStream.Gateway.Telemetry;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Gateway.Ingestion;

/// <summary>
/// The one path every HTTP message takes into the channels' topics, whatever its format: each
/// message is read into interaction events by its format's reader; the events of the messages that
/// read are published as the SDK publishes them (idempotent producer); the others are kept,
/// untouched, with the reason, on <c>omni.bad-rows</c>. Completes once the brokers acknowledged
/// everything (or refused it).
/// </summary>
public sealed class EventIngestion(ChannelPublisher publisher, BadRowWriter badRows, GatewayMetrics metrics, TimeProvider time)
{
    /// <summary>Reads each of <paramref name="messages"/> in <paramref name="format"/>, and publishes its events or keeps it aside; <paramref name="client"/> posted them.</summary>
    /// <exception cref="KafkaException">A refused message could not be kept on <c>omni.bad-rows</c>.</exception>
    public async Task<EventsAnswer> IngestAsync(IReadOnlyList<JsonElement> messages, IMessageFormat format, string client, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow().UtcDateTime;
        var rejected = new List<RejectedEvent>();
        var rows = new List<Message<byte[], byte[]>>();
        var publishing = new List<(int Index, InteractionEvent Event, Task Ack)>();
        var ignored = 0;
        for (var index = 0; index < messages.Count; index++)
        {
            try
            {
                var events = format.Read(messages[index], receivedAt);
                foreach (var interaction in events)
                {
                    InteractionValidator.ThrowIfInvalid(interaction);
                    InteractionValidator.ThrowIfFromTheFuture(interaction.occurredAt, receivedAt);
                }
                publishing.AddRange(events.Select(e => (index, e, (Task)publisher.PublishAsync(e, cancellationToken))));
                ignored += events.Count == 0 ? 1 : 0;
            }
            catch (Exception e) when (e is InteractionJsonException or ArgumentException)
            {
                rejected.Add(new RejectedEvent(index, e.Message));
                rows.Add(BadRows.Row(messages[index].GetRawText(), e.Message, format.Source, client, format.FirstEventId(messages[index]), receivedAt, format.Channel));
            }
        }
        var kept = badRows.WriteAsync(rows, cancellationToken);
        var accepted = new List<AcceptedEvent>();
        var unacknowledged = new List<UnacknowledgedEvent>();
        foreach (var (index, interaction, ack) in publishing)
        {
            try
            {
                await ack.ConfigureAwait(false);
                accepted.Add(new AcceptedEvent(index, interaction.eventId));
            }
            catch (KafkaException e)
            {
                unacknowledged.Add(new UnacknowledgedEvent(index, interaction.eventId, e.Error.Reason));
            }
        }
        await kept.ConfigureAwait(false);
        metrics.Ingested(format.Source, "accepted", accepted.Select(a => a.Index).Distinct().Count());
        metrics.Ingested(format.Source, "ignored", ignored);
        metrics.Ingested(format.Source, "rejected", rejected.Count);
        metrics.Ingested(format.Source, "unacknowledged", unacknowledged.Select(u => u.Index).Distinct().Count());
        return new EventsAnswer(accepted, rejected, unacknowledged);
    }
}
