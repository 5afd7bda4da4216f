using System.Text.Json;
using OmniStream.Adapters.Json;
using OmniStream.Channels.Topics;
using OmniStream.Kafka;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;

namespace OmniStream.Cli.Replay;

/// <summary>
/// Recorded interaction events, in the order they occurred: JSON lines (one event per line, as <c>POST /events</c> takes
/// it), or the channels' topics over a window of time.
/// </summary>
internal static class RecordedEvents
{
    /// <summary>The events of <paramref name="file"/>, sorted by <c>occurredAt</c> (a stable sort: lines of one instant keep their order).</summary>
    /// <exception cref="RecordedEventsException">A line is not an event; the message names the file, the line and what is wrong.</exception>
    public static IReadOnlyList<InteractionEvent> Read(string file)
    {
        var events = new List<InteractionEvent>();
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                using var json = JsonDocument.Parse(line);
                var interaction = InteractionJson.Read(json.RootElement);
                if (interaction.eventId == Guid.Empty)
                {
                    interaction.eventId = Guid.NewGuid();
                }
                events.Add(interaction);
            }
            catch (Exception e) when (e is JsonException or InteractionJsonException)
            {
                throw new RecordedEventsException($"{Path.GetFileName(file)}:{number}: {e.Message}");
            }
        }
        return [.. events.OrderBy(e => e.occurredAt)];
    }

    /// <summary>
    /// The events of every <c>omni.interactions.*</c> topic whose record time is in [<paramref name="since"/>, <paramref name="until"/>),
    /// sorted by <c>occurredAt</c>; at most <paramref name="max"/>, so that a wide window cannot fill the memory.
    /// </summary>
    /// <exception cref="RecordedEventsException">More than <paramref name="max"/> events in the window.</exception>
    public static async Task<IReadOnlyList<InteractionEvent>> ReadTopicsAsync(KafkaOptions kafka, AvroSerde<InteractionEvent> serde, DateTime since, DateTime until, int max,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serde);
        var events = new List<InteractionEvent>();
        var undecodable = 0;
        foreach (var topic in TopicCatalog.AllInteractions)
        {
            await TopicToEnd.ReadAsync(kafka, topic.Name, "omnistream-policy-replay", async record =>
            {
                var at = record.Message.Timestamp.UtcDateTime;
                if (at < since || at >= until || record.Message.Value is null)
                {
                    return;
                }
                if (events.Count == max)
                {
                    throw new RecordedEventsException($"more than {max:N0} events between {since:O} and {until:O}: narrow the window or raise --max-events");
                }
                try
                {
                    events.Add(await serde.DeserializeAsync(record.Message.Value, cancellationToken).ConfigureAwait(false));
                }
                catch (AvroDecodeException)
                {
                    // The worker sets such records aside as dead letters; so does the replay.
                    undecodable++;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        if (undecodable > 0)
        {
            await Console.Error.WriteLineAsync($"policies replay: {undecodable} record(s) in the window are not interaction events (the worker sets them aside): left out").ConfigureAwait(false);
        }
        return [.. events.OrderBy(e => e.occurredAt)];
    }
}

/// <summary>A line of a recorded events file that is not an event.</summary>
internal sealed class RecordedEventsException(string message) : Exception(message);
