using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Hosting;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka;

namespace OmniStream.Gateway.Delivery;

/// <summary>
/// Reads every partition of every actions topic from their end as of the gateway's start, and hands
/// each action to the server-sent event streams of its channel (<see cref="ActionEventHub"/>).
/// Each instance reads everything, so a stream sees its channel's actions whichever instance it is
/// connected to; nothing is committed: a stream carries the actions published while it is open.
/// </summary>
public sealed partial class ActionEventFeed(KafkaOptions kafka, GatewayOptions options, AvroSerde<NextBestAction> serde, ActionEventHub hub,
    ILogger<ActionEventFeed> logger) : BackgroundService
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stop)
    {
        var config = KafkaClientConfigs.Consumer(kafka, $"{options.GroupId}-events-{options.InstanceId}", $"{options.GroupId}-events");
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        var ends = TopicCatalog.AllActions
            .SelectMany(topic => Enumerable.Range(0, topic.Partitions).Select(p => new TopicPartition(topic.Name, p)))
            .Select(tp => new TopicPartitionOffset(tp, consumer.QueryWatermarkOffsets(tp, QueryTimeout).High))
            .ToList();
        consumer.Assign(ends);
        hub.IsReady = true;
        var registry = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
        while (!stop.IsCancellationRequested)
        {
            ConsumeResult<string, byte[]>? record;
            try
            {
                record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                LogConsumeError(e.Error.Reason);
                continue;
            }
            if (record is not { IsPartitionEOF: false })
            {
                continue;
            }
            try
            {
                hub.Publish(serde.DeserializeAsync(record.Message.Value, stop).AsTask().GetAwaiter().GetResult());
                registry.Reset();
            }
            catch (AvroDecodeException e) when (!e.IsTransient)
            {
                LogUndecodable(record.TopicPartitionOffset, e.Message);
            }
            catch (AvroDecodeException e)
            {
                // The registry did not answer: the action is read again after a wait; none is skipped.
                var wait = registry.Next();
                LogRegistryUnavailable(record.TopicPartitionOffset, e.Message, wait);
                consumer.Seek(record.TopicPartitionOffset);
                stop.WaitHandle.WaitOne(wait);
            }
        }
        consumer.Close();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading actions for server-sent events: {Reason}")]
    private partial void LogConsumeError(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The action at {Record} waits for the Schema Registry: {Reason}; read again in {Wait}")]
    private partial void LogRegistryUnavailable(TopicPartitionOffset record, string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped an undecodable action at {Record}: {Reason}")]
    private partial void LogUndecodable(TopicPartitionOffset record, string reason);
}
