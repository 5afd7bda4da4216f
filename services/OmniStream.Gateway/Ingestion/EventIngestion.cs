using System.Text.Json;
using Confluent.Kafka;
using OmniStream.Channels.Json;
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
    /// <summary>How one format reads a message: its events (none when the format ignores such a message), or an exception naming what is wrong.</summary>
    public delegate IReadOnlyList<InteractionEvent> Reader(JsonElement message);

    /// <summary>
    /// Reads, publishes or keeps aside each of <paramref name="messages"/>; <paramref name="source"/>
    /// says which format and endpoint on the bad rows, <paramref name="client"/> who posted them,
    /// <paramref name="badRowId"/> the event id a refused message is published under once fixed.
    /// </summary>
    /// <exception cref="KafkaException">A refused message could not be kept on <c>omni.bad-rows</c>.</exception>
    public async Task<EventsAnswer> IngestAsync(IReadOnlyList<JsonElement> messages, Reader read, Func<JsonElement, Guid> badRowId, string source, string client,
        CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedEvent>();
        var rows = new List<Message<byte[], byte[]>>();
        var publishing = new List<(int Index, InteractionEvent Event, Task Ack)>();
        var ignored = 0;
        for (var index = 0; index < messages.Count; index++)
        {
            try
            {
                var events = read(messages[index]);
                events.ToList().ForEach(InteractionValidator.ThrowIfInvalid);
                publishing.AddRange(events.Select(e => (index, e, (Task)publisher.PublishAsync(e, cancellationToken))));
                ignored += events.Count == 0 ? 1 : 0;
            }
            catch (Exception e) when (e is InteractionJsonException or ArgumentException)
            {
                rejected.Add(new RejectedEvent(index, e.Message));
                rows.Add(BadRows.Row(messages[index].GetRawText(), e.Message, source, client, badRowId(messages[index]), time.GetUtcNow().UtcDateTime));
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
        metrics.Ingested(source, "accepted", accepted.Select(a => a.Index).Distinct().Count());
        metrics.Ingested(source, "ignored", ignored);
        metrics.Ingested(source, "rejected", rejected.Count);
        metrics.Ingested(source, "unacknowledged", unacknowledged.Select(u => u.Index).Distinct().Count());
        return new EventsAnswer(accepted, rejected, unacknowledged);
    }
}
