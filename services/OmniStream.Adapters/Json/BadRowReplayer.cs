using System.Text.Json;
using Confluent.Kafka;
using OmniStream.Adapters;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Kafka;

namespace OmniStream.Adapters.Json;

/// <summary>
/// Publishes the events kept on <c>omni.bad-rows</c> that read now (the reader, the mapping or the
/// contract fixed since they were refused), each row read again in its own format
/// (<see cref="BadRowFormats"/>), its first event under the event id its row names, so that replaying
/// twice publishes copies the worker drops; the rows that still do not read are listed with why.
/// Reads the topic up to its current end and removes nothing.
/// </summary>
public sealed class BadRowReplayer(OmniStream.Kafka.KafkaOptions kafka, ChannelPublisher publisher, BadRowFormats formats)
{
    /// <summary>What became of one row: its place, the event id, and null when it was (or, in a dry run, would be) published, else why not.</summary>
    public sealed record Result(TopicPartitionOffset Row, Guid EventId, string? StillRefused);

    /// <summary>Replays every row; with <paramref name="dryRun"/>, only says which would be published.</summary>
    public async Task<IReadOnlyList<Result>> ReplayAsync(bool dryRun, CancellationToken cancellationToken = default)
    {
        var results = new List<Result>();
        await TopicToEnd.ReadAsync(kafka, TopicCatalog.BadRows.Name, "omnistream-bad-rows-replay", async record =>
        {
            if (BadRows.Read(record.Message.Headers) is not { } row)
            {
                return;
            }
            if (formats.For(row) is not { } format)
            {
                results.Add(new Result(record.TopicPartitionOffset, row.EventId, $"no format reads rows from '{row.Source}'"));
                return;
            }
            try
            {
                using var json = JsonDocument.Parse(record.Message.Value);
                var events = format.Read(json.RootElement, row.RefusedAt);
                if (events.Count > 0)
                {
                    events[0].eventId = row.EventId;
                }
                foreach (var interaction in events)
                {
                    InteractionValidator.ThrowIfInvalid(interaction);
                }
                if (!dryRun)
                {
                    foreach (var interaction in events)
                    {
                        await publisher.PublishAsync(interaction, cancellationToken).ConfigureAwait(false);
                    }
                }
                results.Add(new Result(record.TopicPartitionOffset, row.EventId, null));
            }
            catch (Exception e) when (e is JsonException or InteractionJsonException or ArgumentException)
            {
                results.Add(new Result(record.TopicPartitionOffset, row.EventId, e.Message));
            }
        }, cancellationToken).ConfigureAwait(false);
        return results;
    }
}
