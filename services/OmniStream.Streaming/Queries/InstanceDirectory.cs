using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.Processing;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Queries;

/// <summary>
/// Which instance of the application owns which input partitions, and where each answers store
/// queries: every instance writes its assignment to the compacted topic <c>&lt;app&gt;-instances</c>
/// when it changes, and reads everyone's. (Kafka Streams shares this in the group protocol; the
/// cooperative assignor of librdkafka offers no room for it, so a topic carries it.)
/// </summary>
public sealed partial class InstanceDirectory : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly KafkaOptions _kafka;
    private readonly StreamOptions _options;
    private readonly ILogger<InstanceDirectory> _logger;
    private readonly IProducer<string, byte[]> _producer;
    private readonly ConcurrentDictionary<string, InstanceAnnouncement> _latest = new();

    /// <summary>Creates the directory of <paramref name="options"/>' application.</summary>
    public InstanceDirectory(KafkaOptions kafka, StreamOptions options, ILogger<InstanceDirectory> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_kafka, _options, _logger) = (kafka, options, logger);
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
        _latest[key] = announcement;
        _producer.Produce(Spec(_options.ApplicationId).Name, new Message<string, byte[]> { Key = key, Value = announcement.Encode() }, report =>
        {
            if (report.Error.IsError)
            {
                LogAnnounceFailed(stage, report.Error.Reason);
            }
        });
    }

    /// <summary>The instance that owns <paramref name="partition"/> in <paramref name="stage"/>, as far as announcements tell; null when none claims it.</summary>
    public InstanceAnnouncement? OwnerOf(string stage, TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var name = InstanceAnnouncement.Name(partition.Topic, partition.Partition.Value);
        return _latest.Values
            .Where(a => a.Stage == stage && a.Partitions.Contains(name))
            .MaxBy(a => a.At);
    }

    /// <summary>The latest announcement of every instance that claims partitions in <paramref name="stage"/>.</summary>
    public IReadOnlyList<InstanceAnnouncement> InStage(string stage) =>
        [.. _latest.Values.Where(a => a.Stage == stage && a.Partitions.Count > 0)];

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
                LogUnreadable(e.ConsumerRecord?.TopicPartitionOffset ?? new TopicPartitionOffset(Spec(_options.ApplicationId).Name, 0, Offset.Unset), e.Error.Reason);
                continue;
            }
            if (record is not { IsPartitionEOF: false })
            {
                continue;
            }
            if (record.Message.Key is null)
            {
                LogUnreadable(record.TopicPartitionOffset, "no key");
            }
            else if (record.Message.Value is null)
            {
                _latest.TryRemove(record.Message.Key, out _);
            }
            else if (InstanceAnnouncement.TryDecode(record.Message.Value) is { } announcement)
            {
                // Our own claims are known first-hand; an older echo must not replace a newer one.
                _latest.AddOrUpdate(record.Message.Key, announcement, (_, known) => announcement.At >= known.At ? announcement : known);
            }
            else
            {
                LogUnreadable(record.TopicPartitionOffset, Encoding.UTF8.GetString(record.Message.Value.AsSpan(0, Math.Min(80, record.Message.Value.Length))));
            }
        }
        consumer.Close();
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <inheritdoc />
    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce the partitions of stage {Stage}: {Reason}")]
    private partial void LogAnnounceFailed(string stage, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped an unreadable instance announcement at {Record}: {Start}")]
    private partial void LogUnreadable(TopicPartitionOffset record, string start);
}
