using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Streaming.Processing;
using OmniStream.Kafka.Operations.Resilience;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Telemetry;
using Polly;
using OmniStream.Kafka;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// One thread of a stage: a member of the stage's consumer group with its own producer (and
/// transactional id), the tasks of the partitions it owns, and the loop that polls, processes,
/// ticks the timers, sends watermarks and commits. <see cref="StreamEngine"/> describes the
/// guarantees; this class keeps them for one thread and reports to the engine what it owns.
/// </summary>
internal sealed partial class StageLoop(
    StreamEngine engine,
    int thread,
    KafkaOptions kafka,
    StreamOptions options,
    IStreamHandler handler,
    StoreRestorer restorer,
    StreamingMetrics metrics,
    ILogger logger,
    TimeProvider time,
    ResiliencePipeline retry,
    LogBudget deadLetterLines)
{
    private static readonly TimeSpan KafkaTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LagRefresh = TimeSpan.FromSeconds(1);
    // librdkafka's session.timeout.ms when the configuration sets none.
    private const int DefaultSessionTimeoutMs = 45_000;

    /// <summary>Runs the thread until <paramref name="stop"/> is cancelled; then commits, closes its tasks and leaves the group.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var app = options.ApplicationId;
        if (handler.Stores.Count > 0 && handler.InputTopics.Count != 1)
        {
            throw new InvalidOperationException($"stage '{handler.Stage}' has stores, so it must read exactly one topic (it reads {handler.InputTopics.Count}); re-key into a repartition topic first");
        }
        Dictionary<string, int> downstream;
        int inputPartitions;
        using (var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(kafka)).Build())
        {
            ChangelogTopics.ThrowIfMissing(admin, handler.InputTopics, ChangelogTopics.Specs(app, engine.StoreNames, 0), KafkaTimeout);
            downstream = handler.DownstreamTopics.ToDictionary(topic => topic, topic => PartitionCount(admin, topic));
            inputPartitions = handler.InputTopics.Sum(topic => PartitionCount(admin, topic));
        }
        var groupId = StreamEngine.GroupId(app, handler.Stage);
        // The transactional id is stable per thread, so a restarted instance fences each of its former threads.
        var clientId = options.ThreadsOf(handler.Stage) == 1 ? $"{groupId}-{options.InstanceId}" : $"{groupId}-{options.InstanceId}-{thread}";
        var exactlyOnce = options.Guarantee == ProcessingGuarantee.ExactlyOnce;
        var outage = new BrokerOutage(options.MaxBrokerOutage, time);
        var producerConfig = KafkaClientConfigs.StageProducer(kafka, clientId);
        // Store queries find a key's shard by this partitioner, whatever the configuration says.
        producerConfig.Partitioner = Partitioner.Murmur2Random;
        if (exactlyOnce)
        {
            producerConfig.TransactionalId = clientId;
            producerConfig.TransactionTimeoutMs = (int)options.TransactionTimeout.TotalMilliseconds;
        }
        using var producer = new ProducerBuilder<byte[], byte[]?>(producerConfig).Build();
        if (exactlyOnce)
        {
            producer.InitTransactions(KafkaTimeout);
        }
        var sink = new TransactionalSink(producer, exactlyOnce, metrics);
        Action<TopicPartitionOffset, Message<byte[], byte[]>, Exception> setAside = (source, message, error) => SetAside(source, message, error, sink);
        var tasks = new TaskRegistry(options, engine.StoreNames, StreamEngine.PositionsStore(handler.Stage), metrics, sink,
            setAside, retry, handler.UpstreamStages, handler.IsTransient, engine.Cleaner);
        var consumerConfig = KafkaClientConfigs.Consumer(kafka, groupId, clientId, options.StaticMembership ? clientId : null);
        var membership = new GroupMembership(TimeSpan.FromMilliseconds(consumerConfig.SessionTimeoutMs ?? DefaultSessionTimeoutMs), time);
        var transaction = new StageTransaction(producer, sink, tasks, handler, options, metrics, logger, engine.Aborted, membership);
        engine.ThreadStarted(thread, tasks, inputPartitions);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig)
            .SetPartitionsAssignedHandler((_, partitions) => OpenTasks(partitions, tasks))
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                transaction.CommitOrAbort(c);
                CloseTasks(partitions.Select(p => p.TopicPartition), tasks, "revoked");
            })
            .SetPartitionsLostHandler((c, partitions) =>
            {
                transaction.Abort(c, rewind: false);
                CloseTasks(partitions.Select(p => p.TopicPartition), tasks, "lost");
            })
            .SetErrorHandler((_, error) =>
            {
                outage.Reported(error);
                LogKafkaError(error.Code, error.Reason);
            })
            .Build();

        consumer.Subscribe(handler.InputTopics);
        engine.Running();
        LogStarted(handler.Stage, options.Guarantee, handler.InputTopics);
        var lastTick = time.GetUtcNow();
        var lastCommit = lastTick;
        var pacing = new CommitPacing(options.CommitInterval, options.TransactionTimeout / 4);
        var lastLag = lastTick;
        var lastWatermark = DateTimeOffset.MinValue;
        var readSinceWatermark = false;
        var busy = new BusyClock();
        var pause = new DependencyPause(handler.Stage, options.MaxBrokerOutage, time, logger);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    busy.PollStarting();
                    membership.Polling();
                    var polled = consumer.Consume(options.TickInterval);
                    busy.PollReturned();
                    if (polled is { IsPartitionEOF: false } record)
                    {
                        sink.EnsureTransaction();
                        var task = tasks[record.TopicPartition];
                        // Progress is taken only from an earlier stage of the application: on any other input a
                        // watermark header is data like any other, which the handler takes or sets aside.
                        var isWatermark = handler.UpstreamStages.Count > 0 && Watermark.IsWatermark(record.Message.Headers);
                        if (isWatermark)
                        {
                            ApplyWatermark(record, task, sink);
                        }
                        else
                        {
                            await ProcessAsync(record, task, sink, setAside, stop).ConfigureAwait(false);
                        }
                        // A watermark's timestamp is when it was sent, not an event's time.
                        task.Consumed(record.Offset.Value, isWatermark ? default : record.Message.Timestamp);
                        readSinceWatermark = true;
                        if (task.Uncommitted >= options.MaxRecordsPerCommit)
                        {
                            lastCommit = DateTimeOffset.MinValue;
                        }
                    }
                    else
                    {
                        pacing.Idle();
                    }
                    var now = time.GetUtcNow();
                    if (now - lastTick >= options.TickInterval)
                    {
                        foreach (var task in tasks.All)
                        {
                            var timerTime = task.ProgressTime(consumer, now.UtcDateTime);
                            if (timerTime > DateTime.MinValue)
                            {
                                await handler.OnTickAsync(timerTime, task, stop).ConfigureAwait(false);
                            }
                        }
                        lastTick = now;
                        if (thread == 0)
                        {
                            engine.Cleaner.Sweep(DateTime.UtcNow);
                        }
                    }
                    if (pacing.IsDue(now - lastCommit))
                    {
                        // Counted as sent once committed: one lost with an aborted transaction goes again at the next commit.
                        var watermarked = (readSinceWatermark || now - lastWatermark >= options.IdleWatermarkInterval)
                            && SendWatermarks(consumer, tasks, sink, downstream, inputPartitions, now.UtcDateTime);
                        if (transaction.CommitOrAbort(consumer) && watermarked)
                        {
                            (lastWatermark, readSinceWatermark) = (now, false);
                        }
                        lastCommit = now;
                        pause.Committed();
                        pacing.Committed(time.GetUtcNow() - now);
                    }
                    if (now - lastLag >= LagRefresh)
                    {
                        outage.Check(handler.Stage, () => BrokersAnswer(consumer));
                        metrics.Lags.Update(consumer, handler.Stage, now.UtcDateTime, partition => tasks.TryGet(partition, out var task) ? task!.StoredPosition : null);
                        lastLag = now;
                        busy.Report(metrics, handler.Stage);
                    }
                }
                catch (KafkaException e) when (!e.Error.IsFatal)
                {
                    // The transaction cannot go on (e.g. a produce refused): replay it from the committed position.
                    transaction.Aborting(e);
                    transaction.Abort(consumer, rewind: true);
                }
                catch (Exception e) when (e is DependencyUnavailableException || handler.IsTransient(e))
                {
                    // Nothing is set aside: the transaction is replayed once the dependency answers, or the stage fails.
                    transaction.Abort(consumer, rewind: true);
                    await pause.WaitAsync(e, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: commit below.
        }
        transaction.CommitOrAbort(consumer);
        consumer.Close();
        tasks.CloseAll();
        engine.ThreadStopped(thread);
        LogStopped(handler.Stage);
    }

    private async ValueTask ProcessAsync(ConsumeResult<byte[], byte[]> record, StreamTask task, TransactionalSink sink,
        Action<TopicPartitionOffset, Message<byte[], byte[]>, Exception> setAside, CancellationToken stop)
    {
        metrics.RecordsIn.Add(1, new KeyValuePair<string, object?>("topic", record.Topic));
        metrics.Lags.Processed(record.TopicPartition, record.Message.Timestamp.UtcDateTime);
        var started = Stopwatch.GetTimestamp();
        var sentBefore = sink.Sent;
        await handler.HandleOrSetAsideAsync(record, task, retry, setAside, stop).ConfigureAwait(false);
        metrics.ProcessingTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (sink.Sent > sentBefore && record.Message.Timestamp.Type != TimestampType.NotAvailable)
        {
            metrics.EventToOutput.Record((time.GetUtcNow().UtcDateTime - record.Message.Timestamp.UtcDateTime).TotalMilliseconds);
        }
    }

    private void SetAside(TopicPartitionOffset source, Message<byte[], byte[]> message, Exception error, TransactionalSink sink)
    {
        var letter = DeadLetter.Of(source, message, error, options.ApplicationId, time.GetUtcNow().UtcDateTime);
        sink.Send(options.DeadLetterTopic, new Message<byte[], byte[]?> { Key = letter.Key, Value = letter.Value, Headers = letter.Headers, Timestamp = letter.Timestamp });
        metrics.DeadLetters.Add(1, new("topic", source.Topic), new("error", error.GetType().Name));
        if (deadLetterLines.TryTake(out var skipped))
        {
            LogDeadLettered(source, error.GetType().Name, error.Message, skipped);
        }
    }

    private void ApplyWatermark(ConsumeResult<byte[], byte[]> record, StreamTask task, TransactionalSink sink)
    {
        try
        {
            task.Upstream.Apply(Watermark.Decode(record.Message.Value));
        }
        catch (Exception error) when (error is not KafkaException)
        {
            SetAside(record.TopicPartitionOffset, record.Message, error, sink);
        }
    }

    // Each task reports how far its input has been forwarded: the time its timers have reached. False when nothing was sent.
    private bool SendWatermarks(IConsumer<byte[], byte[]> consumer, TaskRegistry tasks, TransactionalSink sink,
        Dictionary<string, int> downstream, int inputPartitions, DateTime now)
    {
        if (downstream.Count == 0)
        {
            return false;
        }
        var sources = tasks.All
            .Select(task => new SourceProgress(task.Input.Topic, task.Input.Partition.Value, task.ProgressTime(consumer, now)))
            .Where(source => source.Time > DateTime.MinValue)
            .ToList();
        if (sources.Count == 0)
        {
            return false;
        }
        var value = new Watermark(handler.Stage, inputPartitions, sources).Encode();
        foreach (var (topic, partitions) in downstream)
        {
            for (var partition = 0; partition < partitions; partition++)
            {
                sink.Send(new TopicPartition(topic, partition), new Message<byte[], byte[]?>
                {
                    Key = [],
                    Value = value,
                    Headers = [new Header(Watermark.Header, [])],
                });
            }
        }
        return true;
    }

    private bool BrokersAnswer(IConsumer<byte[], byte[]> consumer)
    {
        try
        {
            consumer.QueryWatermarkOffsets(new TopicPartition(handler.InputTopics[0], 0), TimeSpan.FromSeconds(1));
            return true;
        }
        catch (KafkaException)
        {
            return false;
        }
    }

    private static int PartitionCount(IAdminClient admin, string topic) =>
        admin.GetMetadata(topic, KafkaTimeout).Topics.SingleOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)?.Partitions.Count
        ?? throw new InvalidOperationException($"topic '{topic}' does not exist");

    private List<TopicPartitionOffset> OpenTasks(List<TopicPartition> partitions, TaskRegistry tasks)
    {
        var starts = new List<TopicPartitionOffset>();
        using var restores = restorer.NewSession();
        foreach (var partition in partitions)
        {
            var task = tasks.Open(partition, restores);
            starts.Add(new TopicPartitionOffset(partition, task.StoredPosition is { } position ? new Offset(position) : Offset.Unset));
        }
        engine.OwnedChanged(thread, partitions.Count);
        metrics.Rebalances.Add(partitions.Count, new KeyValuePair<string, object?>("kind", "assigned"));
        LogAssigned(handler.Stage, partitions);
        return starts;
    }

    private void CloseTasks(IEnumerable<TopicPartition> partitions, TaskRegistry tasks, string kind)
    {
        var closed = partitions.Count(tasks.Close);
        engine.OwnedChanged(thread, -closed);
        metrics.Rebalances.Add(closed, new KeyValuePair<string, object?>("kind", kind));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage} ({Guarantee}) consuming {Topics}")]
    private partial void LogStarted(string stage, ProcessingGuarantee guarantee, IReadOnlyList<string> topics);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage} committed, closed its tasks and left its group")]
    private partial void LogStopped(string stage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage}: opened tasks for {Partitions}, stores restored")]
    private partial void LogAssigned(string stage, List<TopicPartition> partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka: {Code} {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Set aside {Record} on the dead-letter topic: {ErrorClass}: {ErrorMessage} ({Unlogged} more set aside since the last such line)")]
    private partial void LogDeadLettered(TopicPartitionOffset record, string errorClass, string errorMessage, long unlogged);
}
