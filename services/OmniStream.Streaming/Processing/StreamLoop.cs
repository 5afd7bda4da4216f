using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.DeadLetters;
using OmniStream.Streaming.Hosting;
using OmniStream.Streaming.Resilience;
using OmniStream.Streaming.Telemetry;
using Polly;

namespace OmniStream.Streaming.Processing;

/// <summary>
/// Consume → handle → produce, at least once: every <see cref="StreamLoopOptions.CommitInterval"/>
/// the outputs are flushed, and only then are the consumed offsets committed. A record whose
/// handling fails goes to the dead-letter topic and the loop goes on; a Kafka failure stops it.
/// The handler's tick runs when the loop has caught up with its input (every owned partition read
/// up to the high watermark of its last fetch), so that a backlog does not fire timers that its
/// later records would cancel; behind a backlog it still runs at least every <see cref="MaxTickDelay"/>.
/// </summary>
public sealed partial class StreamLoop(
    KafkaOptions kafka,
    StreamLoopOptions options,
    IRecordHandler handler,
    StreamingMetrics metrics,
    ILogger<StreamLoop> logger,
    TimeProvider time)
{
    /// <summary>The longest the tick waits for the loop to catch up with its input.</summary>
    public static readonly TimeSpan MaxTickDelay = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LagRefresh = TimeSpan.FromSeconds(1);
    private int _assignedPartitions;

    /// <summary>How many input partitions this instance owns now (0 until it joined its group).</summary>
    public int AssignedPartitions => Volatile.Read(ref _assignedPartitions);
    private readonly ResiliencePipeline _retry = TransientRetry.Create(options.TransientRetries, handler.IsTransient);

    /// <summary>Runs until <paramref name="stop"/> is cancelled; then commits what was processed and leaves the group.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var app = options.ApplicationId;
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(kafka, $"{app}-producer")).Build();
        var sink = new ProducerSink(producer, metrics);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(kafka, app, $"{app}-consumer"))
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                Interlocked.Add(ref _assignedPartitions, partitions.Count);
                metrics.Rebalances.Add(partitions.Count, new KeyValuePair<string, object?>("kind", "assigned"));
                LogAssigned(partitions);
            })
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                LogRevoked(partitions);
                Commit(c, sink);
                Interlocked.Add(ref _assignedPartitions, -partitions.Count);
                metrics.Rebalances.Add(partitions.Count, new KeyValuePair<string, object?>("kind", "revoked"));
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                Interlocked.Add(ref _assignedPartitions, -partitions.Count);
                metrics.Rebalances.Add(partitions.Count, new KeyValuePair<string, object?>("kind", "lost"));
            })
            .SetErrorHandler((_, error) => LogKafkaError(error.Code, error.Reason))
            .Build();

        consumer.Subscribe(handler.Topics);
        LogStarted(app, handler.Topics);
        var lastTick = time.GetUtcNow();
        var lastCommit = lastTick;
        var lastLag = lastTick;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (consumer.Consume(options.TickInterval) is { IsPartitionEOF: false } record)
                {
                    await ProcessAsync(record, sink, stop).ConfigureAwait(false);
                }
                var now = time.GetUtcNow();
                if (now - lastTick >= options.TickInterval && (now - lastTick >= MaxTickDelay || IsCaughtUp(consumer)))
                {
                    await handler.OnTickAsync(now.UtcDateTime, sink, stop).ConfigureAwait(false);
                    lastTick = now;
                }
                if (now - lastCommit >= options.CommitInterval)
                {
                    Commit(consumer, sink);
                    lastCommit = now;
                }
                if (now - lastLag >= LagRefresh)
                {
                    metrics.Lags.Update(consumer, now.UtcDateTime);
                    lastLag = now;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: fall through to the final commit.
        }
        Commit(consumer, sink);
        consumer.Close();
        LogStopped(app);
    }

    private async ValueTask ProcessAsync(ConsumeResult<byte[], byte[]> record, ProducerSink sink, CancellationToken stop)
    {
        metrics.RecordsIn.Add(1, new KeyValuePair<string, object?>("topic", record.Topic));
        metrics.Lags.Processed(record.TopicPartition, record.Message.Timestamp.UtcDateTime);
        var clock = Stopwatch.StartNew();
        try
        {
            await _retry.ExecuteAsync(token => handler.HandleAsync(record, sink, token), stop).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            sink.Send(options.DeadLetterTopic, DeadLetter.Of(record, error, options.ApplicationId, time.GetUtcNow().UtcDateTime));
            metrics.DeadLetters.Add(1, new("topic", record.Topic), new("error", error.GetType().Name));
            LogDeadLettered(record.TopicPartitionOffset, error.GetType().Name, error.Message);
        }
        metrics.ProcessingTime.Record(clock.Elapsed.TotalMilliseconds);
    }

    // Both figures are the client's own (the high watermark comes with each fetch): no broker call.
    internal static bool IsCaughtUp(IConsumer<byte[], byte[]> consumer)
    {
        foreach (var partition in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            if (high != Offset.Unset && consumer.Position(partition) is var position && (position == Offset.Unset ? high > 0 : position < high))
            {
                return false;
            }
        }
        return true;
    }

    private void Commit(IConsumer<byte[], byte[]> consumer, ProducerSink sink)
    {
        var clock = Stopwatch.StartNew();
        sink.FlushOrThrow(FlushTimeout);
        try
        {
            consumer.Commit();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing consumed since the last commit.
        }
        metrics.CommitTime.Record(clock.Elapsed.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{ApplicationId} consuming {Topics}")]
    private partial void LogStarted(string applicationId, IReadOnlyCollection<string> topics);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ApplicationId} committed and left its group")]
    private partial void LogStopped(string applicationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned {Partitions}")]
    private partial void LogAssigned(List<TopicPartition> partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked {Partitions}; committed what was processed")]
    private partial void LogRevoked(List<TopicPartitionOffset> partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka: {Code} {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Set aside {Record} on the dead-letter topic: {ErrorClass}: {ErrorMessage}")]
    private partial void LogDeadLettered(TopicPartitionOffset record, string errorClass, string errorMessage);
}
