using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.DeadLetters;
using OmniStream.Streaming.Hosting;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Resilience;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Telemetry;
using Polly;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// Exactly-once processing (Kafka EOS v2). Each partition of the input topic is a task owning its
/// shard of every store, restored from the store's changelog before the task processes anything.
/// Outputs, changelog records, dead letters and consumed offsets of all tasks commit in one Kafka
/// transaction per commit interval; only then do the stores apply their pending writes. A
/// transaction that aborts drops the pending writes and rewinds the input to the committed
/// position, so nothing is lost or doubled. A fatal error (a fenced instance) stops the loop.
/// Each task also keeps its input position in an internal store whose changelog is written in
/// the same transaction: a restarted task resumes from there. This does not depend on the
/// broker storing transactional group offsets (librdkafka's mock brokers accept them but keep
/// nothing); the group offsets are still sent, for lag tooling on real clusters.
/// </summary>
public sealed partial class ExactlyOnceLoop(
    KafkaOptions kafka,
    StreamLoopOptions options,
    IStatefulHandler handler,
    StoreRestorer restorer,
    StreamingMetrics metrics,
    ILogger<ExactlyOnceLoop> logger,
    TimeProvider time)
{
    /// <summary>The internal store in which each task keeps its input position.</summary>
    public const string PositionsStore = "positions";

    private static readonly TimeSpan KafkaTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LagRefresh = TimeSpan.FromSeconds(1);
    private static readonly byte[] PositionKey = "input-position"u8.ToArray();
    private readonly ResiliencePipeline _retry = TransientRetry.Create(options.TransientRetries, handler.IsTransient);
    private readonly Dictionary<int, StreamTask> _tasks = [];
    private int _assignedPartitions;
    private long _aborts;

    /// <summary>How many input partitions (tasks) this instance owns now.</summary>
    public int AssignedPartitions => Volatile.Read(ref _assignedPartitions);

    /// <summary>How many transactions aborted and were replayed since start.</summary>
    public long Aborts => Interlocked.Read(ref _aborts);

    /// <summary>The stores of every task: the handler's and the internal positions store.</summary>
    public IReadOnlyList<string> StoreNames => [.. handler.Stores, PositionsStore];

    /// <summary>Runs until <paramref name="stop"/> is cancelled; then commits, closes its tasks and leaves the group.</summary>
    /// <exception cref="InvalidOperationException">A changelog topic is missing or not co-partitioned with the input.</exception>
    public async Task RunAsync(CancellationToken stop)
    {
        var app = options.ApplicationId;
        using (var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(kafka)).Build())
        {
            ChangelogTopics.ThrowIfMissing(admin, handler.InputTopic, ChangelogTopics.Specs(app, StoreNames, 0), KafkaTimeout);
        }
        var producerConfig = KafkaClientConfigs.Producer(kafka, $"{app}-{options.InstanceId}");
        producerConfig.TransactionalId = $"{app}-{options.InstanceId}";
        producerConfig.TransactionTimeoutMs = (int)options.TransactionTimeout.TotalMilliseconds;
        using var producer = new ProducerBuilder<byte[], byte[]?>(producerConfig).Build();
        producer.InitTransactions(KafkaTimeout);
        var sink = new TransactionalSink(producer, metrics);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(kafka, app, $"{app}-{options.InstanceId}"))
            .SetPartitionsAssignedHandler((_, partitions) => OpenTasks(partitions, sink))
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                CommitOrAbort(c, producer, sink);
                CloseTasks(partitions.Select(p => p.Partition.Value));
            })
            .SetPartitionsLostHandler((c, partitions) =>
            {
                Abort(c, producer, sink, rewind: false);
                CloseTasks(partitions.Select(p => p.Partition.Value));
            })
            .SetErrorHandler((_, error) => LogKafkaError(error.Code, error.Reason))
            .Build();

        consumer.Subscribe(handler.InputTopic);
        var lastTick = time.GetUtcNow();
        var lastCommit = lastTick;
        var lastLag = lastTick;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (consumer.Consume(options.TickInterval) is { IsPartitionEOF: false } record)
                    {
                        sink.EnsureTransaction();
                        var task = _tasks[record.Partition.Value];
                        await ProcessAsync(record, task, sink, stop).ConfigureAwait(false);
                        task.Consumed(record.Offset.Value);
                    }
                    var now = time.GetUtcNow();
                    if (now - lastTick >= options.TickInterval && (now - lastTick >= StreamLoop.MaxTickDelay || StreamLoop.IsCaughtUp(consumer)))
                    {
                        foreach (var task in _tasks.Values)
                        {
                            await handler.OnTickAsync(now.UtcDateTime, task, stop).ConfigureAwait(false);
                        }
                        lastTick = now;
                    }
                    if (now - lastCommit >= options.CommitInterval)
                    {
                        CommitOrAbort(consumer, producer, sink);
                        lastCommit = now;
                    }
                    if (now - lastLag >= LagRefresh)
                    {
                        metrics.Lags.Update(consumer, now.UtcDateTime);
                        lastLag = now;
                    }
                }
                catch (KafkaException e) when (!e.Error.IsFatal)
                {
                    // The transaction cannot go on (e.g. a produce refused): replay it from the committed position.
                    LogAborting(e.Error.Code, e.Message);
                    Abort(consumer, producer, sink, rewind: true);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: commit below.
        }
        CommitOrAbort(consumer, producer, sink);
        consumer.Close();
        CloseTasks([.. _tasks.Keys]);
    }

    private async ValueTask ProcessAsync(ConsumeResult<byte[], byte[]> record, StreamTask task, TransactionalSink sink, CancellationToken stop)
    {
        metrics.RecordsIn.Add(1, new KeyValuePair<string, object?>("topic", record.Topic));
        metrics.Lags.Processed(record.TopicPartition, record.Message.Timestamp.UtcDateTime);
        var clock = Stopwatch.StartNew();
        try
        {
            await _retry.ExecuteAsync(token => handler.HandleAsync(record, task, token), stop).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not KafkaException && (error is not OperationCanceledException || !stop.IsCancellationRequested))
        {
            // A Kafka error is the transaction's, not the record's: it propagates and the transaction is replayed.
            var letter = DeadLetter.Of(record, error, options.ApplicationId, time.GetUtcNow().UtcDateTime);
            sink.Send(options.DeadLetterTopic, new Message<byte[], byte[]?> { Key = letter.Key, Value = letter.Value, Headers = letter.Headers, Timestamp = letter.Timestamp });
            metrics.DeadLetters.Add(1, new("topic", record.Topic), new("error", error.GetType().Name));
            LogDeadLettered(record.TopicPartitionOffset, error.GetType().Name, error.Message);
        }
        metrics.ProcessingTime.Record(clock.Elapsed.TotalMilliseconds);
    }

    private void CommitOrAbort(IConsumer<byte[], byte[]> consumer, IProducer<byte[], byte[]?> producer, TransactionalSink sink)
    {
        if (!sink.InTransaction)
        {
            return;
        }
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var task in _tasks.Values)
            {
                task.RecordPosition(PositionsStore, PositionKey);
            }
            sink.FlushOrThrow(KafkaTimeout);
            var positions = consumer.Assignment
                .Select(partition => new TopicPartitionOffset(partition, consumer.Position(partition)))
                .Where(position => position.Offset != Offset.Unset)
                .ToList();
            producer.SendOffsetsToTransaction(positions, consumer.ConsumerGroupMetadata, KafkaTimeout);
            producer.CommitTransaction(KafkaTimeout);
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            LogAborting(e.Error.Code, e.Message);
            Abort(consumer, producer, sink, rewind: true);
            return;
        }
        foreach (var task in _tasks.Values)
        {
            task.CommitStores();
        }
        sink.Reset();
        metrics.CommitTime.Record(clock.Elapsed.TotalMilliseconds);
    }

    private void Abort(IConsumer<byte[], byte[]> consumer, IProducer<byte[], byte[]?> producer, TransactionalSink sink, bool rewind)
    {
        if (!sink.InTransaction)
        {
            return;
        }
        producer.AbortTransaction(KafkaTimeout);
        sink.Reset();
        foreach (var task in _tasks.Values)
        {
            task.AbortStores();
        }
        Interlocked.Increment(ref _aborts);
        metrics.Aborts.Add(1);
        if (rewind)
        {
            foreach (var committed in consumer.Committed(consumer.Assignment, KafkaTimeout))
            {
                var stored = _tasks.TryGetValue(committed.Partition.Value, out var task) ? task.StoredPosition(PositionsStore, PositionKey) : null;
                var offset = stored is { } position ? new Offset(position) : committed.Offset == Offset.Unset ? Offset.Beginning : committed.Offset;
                consumer.Seek(new TopicPartitionOffset(committed.TopicPartition, offset));
            }
        }
    }

    private List<TopicPartitionOffset> OpenTasks(List<TopicPartition> partitions, TransactionalSink sink)
    {
        var starts = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            var stores = new Dictionary<string, LoggedStore>();
            foreach (var name in StoreNames)
            {
                var changelog = new TopicPartition(ChangelogTopics.For(options.ApplicationId, name), partition.Partition);
                var directory = Path.Combine(options.StateDirectory, options.ApplicationId, $"{name}-{partition.Partition.Value}");
                var shard = $"{name}-{partition.Partition.Value}";
                var (store, restored) = restorer.OpenAndRestore(name, directory, changelog,
                    new SynchronousProgress<RestoreProgress>(p => metrics.RestoreRemaining[shard] = p.Remaining));
                metrics.RestoreRemaining.TryRemove(shard, out _);
                metrics.RestoredRecords.Add(restored.Records, new KeyValuePair<string, object?>("store", name));
                metrics.StoreKeys[shard] = () => store.EstimatedKeys;
                stores[name] = new LoggedStore(store, changelog, sink);
            }
            var task = new StreamTask(partition.Partition.Value, stores, sink);
            _tasks[partition.Partition.Value] = task;
            starts.Add(new TopicPartitionOffset(partition, task.StoredPosition(PositionsStore, PositionKey) is { } position ? new Offset(position) : Offset.Unset));
        }
        Interlocked.Add(ref _assignedPartitions, partitions.Count);
        metrics.Rebalances.Add(partitions.Count, new KeyValuePair<string, object?>("kind", "assigned"));
        LogAssigned(partitions);
        return starts;
    }

    private void CloseTasks(IEnumerable<int> partitions)
    {
        foreach (var partition in partitions)
        {
            if (_tasks.Remove(partition, out var task))
            {
                foreach (var name in StoreNames)
                {
                    metrics.StoreKeys.TryRemove($"{name}-{partition}", out _);
                }
                task.Dispose();
                Interlocked.Decrement(ref _assignedPartitions);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened tasks for {Partitions}, stores restored")]
    private partial void LogAssigned(List<TopicPartition> partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction aborted ({Code}: {Reason}); rewinding to the committed offsets")]
    private partial void LogAborting(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka: {Code} {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Set aside {Record} on the dead-letter topic: {ErrorClass}: {ErrorMessage}")]
    private partial void LogDeadLettered(TopicPartitionOffset record, string errorClass, string errorMessage);
}
