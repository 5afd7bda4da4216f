using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka;

namespace OmniStream.Channels.Subscribing;

/// <summary>
/// Delivers the next best actions of some channels to a channel backend, at least once: a
/// record's offset is committed only after the callback returned. A callback that throws
/// <see cref="RetryLaterException"/> gets the same action again after the wait it asks.
/// </summary>
public sealed partial class ActionSubscriber(
    KafkaOptions kafka,
    ActionSubscriberOptions options,
    AvroSerde<NextBestAction> serde,
    ILogger<ActionSubscriber> logger)
{
    // The longest wait between two polls of the consumer, far below its max.poll.interval.ms.
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(10);

    /// <summary>Calls <paramref name="onAction"/> for each action until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(Func<NextBestAction, CancellationToken, ValueTask> onAction, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(onAction);
        return RunAsync((action, _, cancellationToken) => onAction(action, cancellationToken), stop);
    }

    /// <summary>Calls <paramref name="onAction"/> with each action and the record it came in, until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(Func<NextBestAction, ConsumeResult<string, byte[]>, CancellationToken, ValueTask> onAction, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(onAction);
        // The consumer loop blocks in librdkafka and waits for each action's handling: on a thread of
        // its own, it returns control to the caller at once and holds none of the thread pool a host shares.
        return Task.Factory.StartNew(() => Run(onAction, stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Run(Func<NextBestAction, ConsumeResult<string, byte[]>, CancellationToken, ValueTask> onAction, CancellationToken stop)
    {
        var config = KafkaClientConfigs.Consumer(kafka, options.GroupId, options.GroupId + "-actions");
        config.EnableAutoCommit = true;
        config.EnableAutoOffsetStore = false;
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        consumer.Subscribe(options.Channels.Select(c => TopicCatalog.Actions(c).Name));
        var registry = new Backoff(TimeSpan.FromMilliseconds(200), LongestWait);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { IsPartitionEOF: false } record)
                {
                    continue;
                }
                NextBestAction action;
                try
                {
                    action = serde.DeserializeAsync(record.Message.Value, stop).AsTask().GetAwaiter().GetResult();
                    registry.Reset();
                }
                catch (AvroDecodeException e) when (!e.IsTransient)
                {
                    // The record stays in the actions topic; skipping it keeps the backend going.
                    LogUndecodable(record.TopicPartitionOffset, e.Message);
                    consumer.StoreOffset(record);
                    continue;
                }
                catch (AvroDecodeException e)
                {
                    // The registry did not answer: the action is read again after a wait; none is skipped.
                    var wait = registry.Next();
                    LogRegistryUnavailable(record.TopicPartitionOffset, e.Message, wait);
                    consumer.Seek(record.TopicPartitionOffset);
                    stop.WaitHandle.WaitOne(wait);
                    continue;
                }
                try
                {
                    onAction(action, record, stop).AsTask().GetAwaiter().GetResult();
                }
                catch (RetryLaterException e)
                {
                    var wait = e.After < LongestWait ? e.After : LongestWait;
                    LogRetryLater(record.TopicPartitionOffset, e.Message, wait);
                    consumer.Seek(record.TopicPartitionOffset);
                    stop.WaitHandle.WaitOne(wait);
                    continue;
                }
                consumer.StoreOffset(record);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
        consumer.Close();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The action at {Record} waits: {Reason}; read again in {Wait}")]
    private partial void LogRetryLater(TopicPartitionOffset record, string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The action at {Record} waits for the Schema Registry: {Reason}; read again in {Wait}")]
    private partial void LogRegistryUnavailable(TopicPartitionOffset record, string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped an undecodable action at {Record}: {Reason}")]
    private partial void LogUndecodable(TopicPartitionOffset record, string reason);
}
