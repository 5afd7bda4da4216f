using System.Text;
using Confluent.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Kafka.Operations.DeadLetters;

/// <summary>
/// Sends chosen dead letters back to the topic they came from, with their original key, value and
/// headers (the reason headers removed, a <c>omnistream.dlq.replayed-from</c> header added).
/// Reads the dead-letter topic up to its current end; it commits nothing and removes nothing.
/// What was set aside from a store (<see cref="DeadLetterRecord.IsReplayable"/>) is left alone.
/// </summary>
public sealed class DeadLetterReplayer(KafkaOptions kafka)
{
    /// <summary>The header naming the dead letter a replayed record came from.</summary>
    public const string ReplayedFrom = "omnistream.dlq.replayed-from";

    /// <summary>
    /// Replays the dead letters that <paramref name="select"/> chooses, set aside within [<paramref name="since"/>,
    /// <paramref name="until"/>), at most <paramref name="limit"/> of them; with <paramref name="dryRun"/>, only lists them.
    /// <paramref name="progress"/> hears how many letters were read, every 10,000.
    /// </summary>
    public async Task<IReadOnlyList<(DeadLetterRecord Letter, bool Replayed, DateTime SetAsideAt)>> ReplayAsync(
        string deadLetterTopic, Func<DeadLetterRecord, bool> select, bool dryRun, DateTime? since = null, DateTime? until = null, int? limit = null,
        Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(select);
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(kafka, "omnistream-deadletter-replay")).Build();
        var results = new List<(DeadLetterRecord, bool, DateTime)>();
        long read = 0;
        await TopicToEnd.ReadAsync(kafka, deadLetterTopic, "omnistream-deadletter-replay", async record =>
        {
            if (++read % 10_000 == 0)
            {
                progress?.Invoke(read);
            }
            var at = record.Message.Timestamp.UtcDateTime;
            if (results.Count >= limit || at < since || at >= until
                || DeadLetterRecord.From(record) is not { IsReplayable: true } letter || !select(letter))
            {
                return;
            }
            if (!dryRun)
            {
                await producer.ProduceAsync(letter.SourceTopic, Original(record, letter), cancellationToken).ConfigureAwait(false);
            }
            results.Add((letter, !dryRun, at));
        }, cancellationToken).ConfigureAwait(false);
        return results;
    }

    private static Message<byte[], byte[]> Original(ConsumeResult<byte[], byte[]> record, DeadLetterRecord letter)
    {
        var headers = new Headers();
        foreach (var header in record.Message.Headers.Where(h => !h.Key.StartsWith("omnistream.dlq.", StringComparison.Ordinal)))
        {
            headers.Add(header.Key, header.GetValueBytes());
        }
        headers.Add(ReplayedFrom, Encoding.UTF8.GetBytes(letter.Position.ToString()));
        return new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers };
    }
}
