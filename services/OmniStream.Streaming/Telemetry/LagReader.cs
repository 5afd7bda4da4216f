using System.Text;
using Confluent.Kafka;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Telemetry;

/// <summary>
/// Reads from outside an application (a CLI, a cron job) how far each of its stages is behind, on any
/// cluster: each input partition's committed position from the stage's positions changelog (written
/// with every commit, so it needs no group offsets, which some brokers do not keep for
/// transactions), the log end, the age of the first record not processed, and the owner from the
/// instance directory. It reads with a consumer of its own that joins no group.
/// </summary>
public sealed class LagReader(KafkaOptions kafka)
{
    /// <summary>Every input partition of every stage in <paramref name="stageInputs"/> (stage → input topics) of <paramref name="applicationId"/>.</summary>
    /// <exception cref="ApplicationNotFoundException">The brokers hold no such application (its instance directory is missing).</exception>
    public IReadOnlyList<StagePartitionLag> Read(string applicationId, IReadOnlyDictionary<string, IReadOnlyList<string>> stageInputs, DateTime now, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(stageInputs);
        var partitions = ClusterMetadata.TopicPartitions(kafka, timeout);
        var directory = InstanceDirectory.Spec(applicationId).Name;
        if (!partitions.ContainsKey(directory))
        {
            const string Suffix = "-instances";
            var found = partitions.Keys.Where(t => t.EndsWith(Suffix, StringComparison.Ordinal)).Select(t => t[..^Suffix.Length]).Order(StringComparer.Ordinal).ToList();
            throw new ApplicationNotFoundException($"no application '{applicationId}' on these brokers: its topic {directory} does not exist " +
                (found.Count == 0 ? "(no application's either)" : $"(applications found: {string.Join(", ", found)}; pass one with --application-id)"));
        }
        var config = KafkaClientConfigs.Consumer(kafka, $"{applicationId}-lag-reader", $"{applicationId}-lag-reader");
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<byte[], byte[]?>(config).Build();
        var owners = Owners(consumer, directory, timeout);
        var rows = new List<(string Stage, TopicPartition Input, long? Position, WatermarkOffsets Ends)>();
        foreach (var (stage, inputs) in stageInputs)
        {
            var positions = Positions(consumer, ChangelogTopics.For(applicationId, StreamEngine.PositionsStore(stage)), partitions, timeout);
            foreach (var topic in inputs.Where(partitions.ContainsKey))
            {
                for (var p = 0; p < partitions[topic]; p++)
                {
                    var input = new TopicPartition(topic, p);
                    rows.Add((stage, input, positions.TryGetValue((topic, p), out var position) ? position : null, consumer.QueryWatermarkOffsets(input, timeout)));
                }
            }
        }
        var firstWaiting = rows.Where(r => (r.Position ?? r.Ends.Low.Value) < r.Ends.High.Value)
            .Select(r => new TopicPartitionOffset(r.Input, r.Position ?? r.Ends.Low.Value)).ToList();
        var ages = FirstRecordTimes(consumer, firstWaiting, timeout);
        consumer.Close();
        return [.. rows.Select(r =>
        {
            // Offsets past the position that hold no record (transaction markers, aborted records) are no lag.
            var waiting = ages.TryGetValue(r.Input, out var written);
            var records = waiting ? Math.Max(0, r.Ends.High.Value - (r.Position ?? r.Ends.Low.Value)) : 0;
            var seconds = waiting ? Math.Max(0, (now - written).TotalSeconds) : 0;
            owners.TryGetValue((r.Stage, InstanceAnnouncement.Name(r.Input.Topic, r.Input.Partition.Value)), out var owner);
            return new StagePartitionLag(r.Stage, r.Input.Topic, r.Input.Partition.Value, r.Position, r.Ends.High.Value, records, seconds, owner);
        })];
    }

    // The positions store keeps, per changelog partition, the next offset of each input topic's same partition (8 bytes).
    private static Dictionary<(string Topic, int Partition), long> Positions(IConsumer<byte[], byte[]?> consumer, string changelog,
        Dictionary<string, int> partitions, TimeSpan timeout)
    {
        var positions = new Dictionary<(string, int), long>();
        if (!partitions.TryGetValue(changelog, out var count))
        {
            return positions;
        }
        foreach (var record in ReadToEnd(consumer, Enumerable.Range(0, count).Select(p => new TopicPartitionOffset(changelog, p, Offset.Beginning)), timeout))
        {
            var key = (Encoding.UTF8.GetString(record.Message.Key), record.Partition.Value);
            if (record.Message.Value is { Length: sizeof(long) } value)
            {
                positions[key] = BitConverter.ToInt64(value);
            }
            else
            {
                positions.Remove(key);
            }
        }
        return positions;
    }

    // The latest claim in the log on each partition wins, as in the workers' own directory. Signatures are not checked here
    // (this reader holds no peer key): the owner column shows what instances claim.
    private static Dictionary<(string Stage, string Partition), string> Owners(IConsumer<byte[], byte[]?> consumer, string directory, TimeSpan timeout)
    {
        var latest = new Dictionary<string, (InstanceAnnouncement? Announcement, long Offset)>();
        foreach (var record in ReadToEnd(consumer, [new TopicPartitionOffset(directory, 0, Offset.Beginning)], timeout))
        {
            latest[Encoding.UTF8.GetString(record.Message.Key ?? [])] = (record.Message.Value is { } value ? AnnouncementSeal.ReadUnverified(value) : null, record.Offset.Value);
        }
        var owners = new Dictionary<(string, string), string>();
        foreach (var announcement in latest.Values.OrderBy(c => c.Offset).Select(c => c.Announcement).OfType<InstanceAnnouncement>())
        {
            foreach (var partition in announcement.Partitions)
            {
                owners[(announcement.Stage, partition)] = announcement.Instance;
            }
        }
        return owners;
    }

    private static Dictionary<TopicPartition, DateTime> FirstRecordTimes(IConsumer<byte[], byte[]?> consumer, List<TopicPartitionOffset> starts, TimeSpan timeout)
    {
        var times = new Dictionary<TopicPartition, DateTime>();
        foreach (var record in ReadToEnd(consumer, starts, timeout, firstOnly: true))
        {
            times.TryAdd(record.TopicPartition, record.Message.Timestamp.UtcDateTime);
        }
        return times;
    }

    private static List<ConsumeResult<byte[], byte[]?>> ReadToEnd(IConsumer<byte[], byte[]?> consumer, IEnumerable<TopicPartitionOffset> starts, TimeSpan timeout, bool firstOnly = false)
    {
        var open = starts.ToList();
        var records = new List<ConsumeResult<byte[], byte[]?>>();
        if (open.Count == 0)
        {
            return records;
        }
        var waiting = open.Select(s => s.TopicPartition).ToHashSet();
        consumer.Assign(open);
        var deadline = DateTime.UtcNow + timeout;
        while (waiting.Count > 0 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } record)
            {
                continue;
            }
            if (record.IsPartitionEOF)
            {
                waiting.Remove(record.TopicPartition);
                continue;
            }
            records.Add(record);
            if (firstOnly)
            {
                waiting.Remove(record.TopicPartition);
            }
        }
        consumer.Unassign();
        return waiting.Count == 0
            ? records
            : throw new TimeoutException($"{waiting.Count} partition(s) not read to their end within {timeout.TotalSeconds:0} s, e.g. {waiting.First()}");
    }
}

/// <summary>A tool was pointed at an application the brokers do not hold; the message names what it looked for and what it found.</summary>
public sealed class ApplicationNotFoundException(string message) : Exception(message);
