using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.Processing;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Queries;

/// <summary>
/// Which instance of the application owns which input partitions, and where each answers store
/// queries: every instance writes its assignment to the compacted topic <c>&lt;app&gt;-instances</c>
/// when it changes, and reads everyone's. (Kafka Streams shares this in the group protocol; the
/// cooperative assignor of librdkafka offers no room for it, so a topic carries it.) Announcements are
/// signed (<see cref="AnnouncementSeal"/>): a record this application's instances did not sign is
/// refused, whoever could write it. Of two claims on a partition, the later in the log wins, not the
/// one that says the later time.
/// </summary>
public sealed partial class InstanceDirectory : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly KafkaOptions _kafka;
    private readonly StreamOptions _options;
    private readonly ILogger<InstanceDirectory> _logger;
    private readonly AnnouncementSeal _seal;
    private readonly IProducer<string, byte[]> _producer;
    // Every instance's latest announcement per stage, with its offset in the log; this instance's own at long.MaxValue.
    private readonly ConcurrentDictionary<string, (InstanceAnnouncement Announcement, long Offset)> _latest = new();

    /// <summary>Creates the directory of <paramref name="options"/>' application, its announcements signed and checked with <paramref name="seal"/>.</summary>
    public InstanceDirectory(KafkaOptions kafka, StreamOptions options, AnnouncementSeal seal, ILogger<InstanceDirectory> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_kafka, _options, _seal, _logger) = (kafka, options, seal, logger);
        _producer = new ProducerBuilder<string, byte[]>(KafkaClientConfigs.Producer(kafka, $"{options.ApplicationId}-{options.InstanceId}-directory")).Build();
    }

    /// <summary>The topic of an application's directory: compacted, one partition.</summary>
    public static TopicSpec Spec(string applicationId) =>
        new($"{applicationId}-instances", 1, true, null, "which instance owns which partitions, and its query endpoint");

    /// <summary>Says that this instance now owns <paramref name="partitions"/> in <paramref name="stage"/> (none when it stops).</summary>
    public void Announce(string stage, IEnumerable<TopicPartition> partitions)
    {
        var announcement = new InstanceAnnouncement(_options.InstanceId, _options.Endpoint ?? "", stage,
            partitions.Select(p => InstanceAnnouncement.Name(p.Topic, p.Partition.Value)).Order(StringComparer.Ordinal).ToList(), DateTime.UtcNow);
        var key = InstanceAnnouncement.KeyOf(stage, _options.InstanceId);
        _latest[key] = (announcement, long.MaxValue);
        _producer.Produce(Spec(_options.ApplicationId).Name, new Message<string, byte[]> { Key = key, Value = _seal.Seal(key, announcement) }, report =>
        {
            if (report.Error.IsError)
            {
                LogAnnounceFailed(stage, report.Error.Reason);
            }
        });
    }

    /// <summary>
    /// The other instance that owns <paramref name="partition"/> in <paramref name="stage"/>, as far as signed announcements
    /// tell (the latest claim in the log wins); null when none claims it. This instance's own partitions are its engine's to say.
    /// </summary>
    public InstanceAnnouncement? OtherOwnerOf(string stage, TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var name = InstanceAnnouncement.Name(partition.Topic, partition.Partition.Value);
        return _latest.Values
            .Where(c => c.Announcement.Stage == stage && c.Announcement.Instance != _options.InstanceId && c.Announcement.Partitions.Contains(name))
            .OrderByDescending(c => c.Offset).Select(c => c.Announcement).FirstOrDefault();
    }

    /// <summary>The latest announcement of every instance that claims partitions in <paramref name="stage"/>.</summary>
    public IReadOnlyList<InstanceAnnouncement> InStage(string stage) =>
        [.. _latest.Values.Select(c => c.Announcement).Where(a => a.Stage == stage && a.Partitions.Count > 0)];

    /// <summary>Reads every instance's announcements until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stop) => Task.Factory.StartNew(() =>
    {
        var config = KafkaClientConfigs.Consumer(_kafka, $"{_options.ApplicationId}-{_options.InstanceId}-directory", $"{_options.ApplicationId}-{_options.InstanceId}-directory");
        using var consumer = new ConsumerBuilder<string, byte[]?>(config).Build();
        consumer.Assign(new TopicPartitionOffset(Spec(_options.ApplicationId).Name, 0, Offset.Beginning));
        while (!stop.IsCancellationRequested)
        {
            ConsumeResult<string, byte[]?>? record;
            try
            {
                record = consumer.Consume(Poll);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                LogRefused(e.ConsumerRecord?.TopicPartitionOffset ?? new TopicPartitionOffset(Spec(_options.ApplicationId).Name, 0, Offset.Unset), e.Error.Reason);
                continue;
            }
            if (record is not { IsPartitionEOF: false })
            {
                continue;
            }
            Read(record);
        }
        consumer.Close();
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Read(ConsumeResult<string, byte[]?> record)
    {
        var key = record.Message.Key;
        if (key is null)
        {
            LogRefused(record.TopicPartitionOffset, "no key");
        }
        else if (key.EndsWith("/" + _options.InstanceId, StringComparison.Ordinal))
        {
            // This instance's claims are known first-hand: an echo, or a former run's, must not replace them.
        }
        else if (record.Message.Value is null)
        {
            _latest.TryRemove(key, out _);
        }
        else
        {
            var (announcement, refusal) = _seal.Open(key, record.Message.Value);
            if (announcement is null)
            {
                LogRefused(record.TopicPartitionOffset, refusal!);
            }
            else
            {
                _latest[key] = (announcement, record.Offset.Value);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce the partitions of stage {Stage}: {Reason}")]
    private partial void LogAnnounceFailed(string stage, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the instance announcement at {Record}: {Reason}")]
    private partial void LogRefused(TopicPartitionOffset record, string reason);
}
