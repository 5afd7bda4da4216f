using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.DeadLetters;
using OmniStream.Streaming.Hosting;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.Resilience;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Telemetry;
using Polly;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// Runs one stage (an <see cref="IStreamHandler"/>): each input partition is a task owning its
/// shard of every store, restored from the store's changelog before the task processes anything.
/// With <see cref="ProcessingGuarantee.ExactlyOnce"/> (Kafka EOS v2), outputs, changelog records,
/// dead letters and consumed offsets of all tasks commit in one transaction per commit interval
/// (or record bound; spaced out while the input keeps the stage busy and commits grow slow, see
/// <see cref="CommitPacing"/>); only then do the stores apply their pending writes. A transaction that
/// aborts drops the pending writes and rewinds the input to the committed position, so nothing is
/// lost or doubled. With <see cref="ProcessingGuarantee.AtLeastOnce"/> outputs are flushed before
/// offsets are committed, without transactions. A fatal error (a fenced instance) stops the engine.
/// Each task also keeps its input position in the stage's positions store, whose changelog is
/// written with the outputs: a restarted task resumes from there. This does not depend on the
/// broker storing transactional group offsets (librdkafka's mock brokers accept them but keep
/// nothing); group offsets are still committed, for lag tooling.
/// Timers run in the handler's tick, per task: by the wall clock once the task has read its input
/// to the end, and by the task's stream time (its latest record timestamp) while it works through
/// a backlog, so that a timer does not fire before the records that would have cancelled it. A
/// stage that feeds a later one writes its progress (<see cref="Watermark"/>) into the topics it
/// feeds at each commit; the later stage's timers also wait for every fed partition's progress.
/// </summary>
public sealed partial class StreamEngine(
    KafkaOptions kafka,
    StreamOptions options,
    IStreamHandler handler,
    StoreRestorer restorer,
    StreamingMetrics metrics,
    ILogger<StreamEngine> logger,
    TimeProvider time,
    InstanceDirectory? directory = null)
{
    private static readonly TimeSpan KafkaTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LagRefresh = TimeSpan.FromSeconds(1);
    private readonly ResiliencePipeline _retry = TransientRetry.Create(options.TransientRetries, handler.IsTransient);
    private readonly bool _exactlyOnce = options.Guarantee == ProcessingGuarantee.ExactlyOnce;
    private readonly LogBudget _deadLetterLines = new(linesPerWindow: 10, TimeSpan.FromSeconds(10), time);
    private readonly bool _commitInOneFlush = options.Guarantee == ProcessingGuarantee.ExactlyOnce && options.BrokersIsolateTransactions;
    private int _inputPartitions;
    // One per thread, set when the thread starts: store queries read them from other threads.
    private readonly TaskRegistry?[] _registries = new TaskRegistry?[options.ThreadsOf(handler.Stage)];
    // Per thread, the partitions whose tasks are open (stores restored).
    private readonly int[] _assigned = new int[options.ThreadsOf(handler.Stage)];
    private readonly Lock _announcing = new();
    private long _aborts;
    private volatile StageStatus _status;
    private volatile string? _failure;

    /// <summary>The positions store of a stage: where its tasks keep their input positions.</summary>
    public static string PositionsStore(string stage) => $"{stage}-positions";

    /// <summary>The consumer group of a stage.</summary>
    public static string GroupId(string applicationId, string stage) => $"{applicationId}-{stage}";

    /// <summary>The stage this engine runs.</summary>
    public string Stage => handler.Stage;

    /// <summary>The topics the stage reads.</summary>
    public IReadOnlyList<string> InputTopics => handler.InputTopics;

    /// <summary>How many input partitions (tasks) this instance owns now.</summary>
    public int AssignedPartitions => PartitionsPerThread.Sum();

    /// <summary>How many input partitions the stage has (0 before it starts).</summary>
    public int InputPartitions => Volatile.Read(ref _inputPartitions);

    /// <summary>How many transactions aborted and were replayed since start.</summary>
    public long Aborts => Interlocked.Read(ref _aborts);

    /// <summary>Whether the stage's loop runs, stopped, or failed (see <see cref="Failure"/>).</summary>
    public StageStatus Status => _status;

    /// <summary>Why the stage's loop failed (the error's type and message), or null.</summary>
    public string? Failure => _failure;

    /// <summary>Records waiting in the partitions of the stage's input that this instance owns, as of the last lag refresh (every second).</summary>
    public long InputLag => metrics.Lags.Current.Where(lag => handler.InputTopics.Contains(lag.Key.Topic)).Sum(lag => lag.Value.Records);

    /// <summary>The input partition, hence the store shard, of <paramref name="key"/> (the engine's producers partition keys with murmur2, as Kafka's Java clients do).</summary>
    /// <exception cref="ArgumentException">The stage reads several topics.</exception>
    /// <exception cref="InvalidOperationException">The engine has not started yet.</exception>
    public TopicPartition PartitionOf(byte[] key)
    {
        if (handler.InputTopics.Count != 1)
        {
            throw new ArgumentException($"stage '{handler.Stage}' reads {handler.InputTopics.Count} topics: its keys have no single partition", nameof(key));
        }
        var partitions = Volatile.Read(ref _inputPartitions);
        return partitions > 0
            ? new TopicPartition(handler.InputTopics[0], KeyPartitioner.Partition(key, partitions))
            : throw new InvalidOperationException($"stage '{handler.Stage}' has not started");
    }

    /// <summary>
    /// From any thread: the committed value of <paramref name="key"/> in <paramref name="store"/>
    /// (null when absent) when this instance owns the key's shard now; false when it does not.
    /// </summary>
    public bool TryRead(string store, byte[] key, out byte[]? value)
    {
        if (!handler.Stores.Contains(store))
        {
            throw new ArgumentException($"stage '{handler.Stage}' has no store '{store}' (stores: {string.Join(", ", handler.Stores)})", nameof(store));
        }
        value = null;
        var partition = PartitionOf(key);
        foreach (var tasks in Registries)
        {
            if (tasks.TryRead(partition, store, key, out value))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// From any thread: every committed entry of <paramref name="store"/> in the shards this
    /// instance owns now, with the partition of each, as one consistent read per shard.
    /// </summary>
    public IReadOnlyList<(int Partition, byte[] Key, byte[] Value)> ReadLocal(string store)
    {
        if (!handler.Stores.Contains(store))
        {
            throw new ArgumentException($"stage '{handler.Stage}' has no store '{store}' (stores: {string.Join(", ", handler.Stores)})", nameof(store));
        }
        return [.. Registries.SelectMany(tasks => tasks.ReadAll(store))];
    }

    /// <summary>The input partitions this instance owns now, for queries from any thread.</summary>
    public IReadOnlyList<TopicPartition> OwnedPartitions => [.. Registries.SelectMany(tasks => tasks.QueryablePartitions)];

    private IEnumerable<TaskRegistry> Registries => _registries.Select(tasks => Volatile.Read(ref tasks)).OfType<TaskRegistry>();

    /// <summary>How many input partitions each of the stage's threads owns now, their tasks open and stores restored (see <see cref="StreamOptions.Threads"/>).</summary>
    public IReadOnlyList<int> PartitionsPerThread => [.. Enumerable.Range(0, _assigned.Length).Select(thread => Volatile.Read(ref _assigned[thread]))];

    /// <summary>
    /// Whether the stage has joined its group on every thread that can own a partition (a stage with
    /// fewer partitions than threads leaves some threads idle).
    /// </summary>
    public bool Joined => InputPartitions > 0 && PartitionsPerThread.Count(count => count > 0) == Math.Min(_registries.Length, InputPartitions);

    /// <summary>The stores of every task: the handler's and the stage's positions store.</summary>
    public IReadOnlyList<string> StoreNames => [.. handler.Stores, PositionsStore(handler.Stage)];

    /// <summary>
    /// Runs the stage on <see cref="StreamOptions.ThreadsOf"/> threads until <paramref name="stop"/> is
    /// cancelled; then each commits, closes its tasks and leaves the group. When one thread fails, the
    /// others stop too (committing) and the failure is thrown.
    /// </summary>
    /// <exception cref="InvalidOperationException">An input or changelog topic is missing, or a changelog is not co-partitioned with the input.</exception>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            if (_registries.Length == 1)
            {
                await RunLoopAsync(0, stop).ConfigureAwait(false);
            }
            else
            {
                await RunThreadsAsync(stop).ConfigureAwait(false);
            }
            _status = StageStatus.Stopped;
        }
        catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            _failure = $"{error.GetType().Name}: {error.Message}";
            _status = StageStatus.Failed;
            LogFailed(handler.Stage, _failure);
            throw;
        }
    }

    private async Task RunThreadsAsync(CancellationToken stop)
    {
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Exception? failure = null;
        var threads = Enumerable.Range(0, _registries.Length).Select(thread => Task.Factory.StartNew(async () =>
        {
            try
            {
                await RunLoopAsync(thread, stopAll.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopAll.IsCancellationRequested)
            {
                // Stopping, for the host or for another thread's failure.
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref failure, error, null);
                await stopAll.CancelAsync().ConfigureAwait(false);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToList();
        await Task.WhenAll(threads).ConfigureAwait(false);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private async Task RunLoopAsync(int thread, CancellationToken stop)
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
            ChangelogTopics.ThrowIfMissing(admin, handler.InputTopics, ChangelogTopics.Specs(app, StoreNames, 0), KafkaTimeout);
            downstream = handler.DownstreamTopics.ToDictionary(topic => topic, topic => PartitionCount(admin, topic));
            inputPartitions = handler.InputTopics.Sum(topic => PartitionCount(admin, topic));
        }
        // The transactional id is stable per thread, so a restarted instance fences each of its former threads.
        var clientId = _registries.Length == 1 ? $"{GroupId(app, handler.Stage)}-{options.InstanceId}" : $"{GroupId(app, handler.Stage)}-{options.InstanceId}-{thread}";
        var outage = new BrokerOutage(options.MaxBrokerOutage, time);
        var producerConfig = KafkaClientConfigs.StageProducer(kafka, clientId);
        // Store queries find a key's shard by this partitioner, whatever the configuration says.
        producerConfig.Partitioner = Partitioner.Murmur2Random;
        if (_exactlyOnce)
        {
            producerConfig.TransactionalId = clientId;
            producerConfig.TransactionTimeoutMs = (int)options.TransactionTimeout.TotalMilliseconds;
        }
        using var producer = new ProducerBuilder<byte[], byte[]?>(producerConfig).Build();
        if (_exactlyOnce)
        {
            producer.InitTransactions(KafkaTimeout);
        }
        var sink = new TransactionalSink(producer, _exactlyOnce, metrics);
        var tasks = new TaskRegistry(options, StoreNames, PositionsStore(handler.Stage), restorer, metrics, sink,
            (source, message, error) => SetAside(source, message, error, sink), _retry);
        Volatile.Write(ref _registries[thread], tasks);
        Volatile.Write(ref _inputPartitions, inputPartitions);
        var stageDirectory = Path.Combine(options.StateDirectory, app, handler.Stage);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(kafka, GroupId(app, handler.Stage), clientId))
            .SetPartitionsAssignedHandler((_, partitions) => OpenTasks(thread, partitions, tasks, stageDirectory))
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                CommitOrAbort(c, producer, sink, tasks);
                CloseTasks(thread, partitions.Select(p => p.TopicPartition), tasks, "revoked");
            })
            .SetPartitionsLostHandler((c, partitions) =>
            {
                Abort(c, producer, sink, tasks, rewind: false);
                CloseTasks(thread, partitions.Select(p => p.TopicPartition), tasks, "lost");
            })
            .SetErrorHandler((_, error) =>
            {
                outage.Reported(error);
                LogKafkaError(error.Code, error.Reason);
            })
            .Build();

        consumer.Subscribe(handler.InputTopics);
        metrics.Stages[handler.Stage] = () => _status == StageStatus.Running;
        // The series exists at 0 before the first abort, so that increase() sees the first one.
        metrics.Aborts.Add(0);
        _status = StageStatus.Running;
        LogStarted(handler.Stage, options.Guarantee, handler.InputTopics);
        var lastTick = time.GetUtcNow();
        var lastCommit = lastTick;
        var pacing = new CommitPacing(options.CommitInterval, options.TransactionTimeout / 4);
        var lastLag = lastTick;
        var busy = new BusyClock();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    busy.PollStarting();
                    var polled = consumer.Consume(options.TickInterval);
                    busy.PollReturned();
                    if (polled is { IsPartitionEOF: false } record)
                    {
                        sink.EnsureTransaction();
                        var task = tasks[record.TopicPartition];
                        // Progress is taken only from an earlier stage of the application: on any other input a
                        // watermark header is data like any other, which the handler takes or sets aside.
                        var isWatermark = handler.WaitsForUpstream && Watermark.IsWatermark(record.Message.Headers);
                        if (isWatermark)
                        {
                            ApplyWatermark(record, task, sink);
                        }
                        else
                        {
                            await ProcessAsync(record, task, sink, stop).ConfigureAwait(false);
                        }
                        // A watermark's timestamp is when it was sent, not an event's time.
                        task.Consumed(record.Offset.Value, isWatermark ? default : record.Message.Timestamp);
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
                            var timerTime = task.ProgressTime(consumer, now.UtcDateTime, handler.WaitsForUpstream);
                            if (timerTime > DateTime.MinValue)
                            {
                                await handler.OnTickAsync(timerTime, task, stop).ConfigureAwait(false);
                            }
                        }
                        lastTick = now;
                    }
                    if (pacing.IsDue(now - lastCommit))
                    {
                        SendWatermarks(consumer, tasks, sink, downstream, inputPartitions, handler.WaitsForUpstream, now.UtcDateTime);
                        CommitOrAbort(consumer, producer, sink, tasks);
                        lastCommit = now;
                        pacing.Committed(time.GetUtcNow() - now);
                    }
                    if (now - lastLag >= LagRefresh)
                    {
                        outage.Check(handler.Stage, () => BrokersAnswer(consumer));
                        metrics.Lags.Update(consumer, handler.Stage, now.UtcDateTime);
                        lastLag = now;
                        busy.Report(metrics, handler.Stage);
                    }
                }
                catch (KafkaException e) when (!e.Error.IsFatal)
                {
                    // The transaction cannot go on (e.g. a produce refused): replay it from the committed position.
                    LogAborting(e.Error.Code, e.Message);
                    Abort(consumer, producer, sink, tasks, rewind: true);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: commit below.
        }
        CommitOrAbort(consumer, producer, sink, tasks);
        consumer.Close();
        tasks.CloseAll();
        Announce();
        Interlocked.Exchange(ref _assigned[thread], 0);
        LogStopped(handler.Stage);
    }

    private async ValueTask ProcessAsync(ConsumeResult<byte[], byte[]> record, StreamTask task, TransactionalSink sink, CancellationToken stop)
    {
        metrics.RecordsIn.Add(1, new KeyValuePair<string, object?>("topic", record.Topic));
        metrics.Lags.Processed(record.TopicPartition, record.Message.Timestamp.UtcDateTime);
        var clock = Stopwatch.StartNew();
        var sentBefore = sink.Sent;
        try
        {
            await _retry.ExecuteAsync(token => handler.HandleAsync(record, task, token), stop).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not KafkaException && (error is not OperationCanceledException || !stop.IsCancellationRequested))
        {
            // A Kafka error is the transaction's, not the record's: it propagates and the transaction is replayed.
            SetAside(record.TopicPartitionOffset, record.Message, error, sink);
        }
        metrics.ProcessingTime.Record(clock.Elapsed.TotalMilliseconds);
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
        if (_deadLetterLines.TryTake(out var skipped))
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

    // Each task reports how far its input has been forwarded: the time its timers have reached.
    private static void SendWatermarks(IConsumer<byte[], byte[]> consumer, TaskRegistry tasks, TransactionalSink sink,
        Dictionary<string, int> downstream, int inputPartitions, bool waitsForUpstream, DateTime now)
    {
        if (downstream.Count == 0)
        {
            return;
        }
        var sources = tasks.All
            .Select(task => new SourceProgress(task.Input.Topic, task.Input.Partition.Value, task.ProgressTime(consumer, now, waitsForUpstream)))
            .Where(source => source.Time > DateTime.MinValue)
            .ToList();
        if (sources.Count == 0)
        {
            return;
        }
        var value = new Watermark(inputPartitions, sources).Encode();
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

    private void CommitOrAbort(IConsumer<byte[], byte[]> consumer, IProducer<byte[], byte[]?> producer, TransactionalSink sink, TaskRegistry tasks)
    {
        if (!sink.InTransaction)
        {
            return;
        }
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var task in tasks.All)
            {
                handler.OnCommitting(task);
            }
            SendStateAndPositions(sink, tasks);
            var positions = consumer.Assignment
                .Select(partition => new TopicPartitionOffset(partition, consumer.Position(partition)))
                .Where(position => position.Offset != Offset.Unset)
                .ToList();
            if (_exactlyOnce)
            {
                producer.SendOffsetsToTransaction(positions, consumer.ConsumerGroupMetadata, KafkaTimeout);
                producer.CommitTransaction(KafkaTimeout);
            }
            else if (positions.Count > 0)
            {
                consumer.Commit(positions);
            }
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            LogAborting(e.Error.Code, e.Message);
            Abort(consumer, producer, sink, tasks, rewind: true);
            return;
        }
        foreach (var task in tasks.All)
        {
            task.CommitStores();
        }
        sink.Reset();
        metrics.CommitTime.Record(clock.Elapsed.TotalMilliseconds);
    }

    // Outputs, then state changes, then positions, each delivered before the next is sent, so
    // that whatever part of an interrupted commit a reader sees, it never sees a position without
    // the state and outputs before it, nor state without its outputs. On brokers that hide open
    // and aborted transactions, readers (the restorer too) see all of a transaction or none of it,
    // so one flush does: two round trips less per commit.
    private void SendStateAndPositions(TransactionalSink sink, TaskRegistry tasks)
    {
        if (!_commitInOneFlush)
        {
            sink.FlushOrThrow(KafkaTimeout);
        }
        foreach (var task in tasks.All)
        {
            task.SendStateChanges();
        }
        if (!_commitInOneFlush)
        {
            sink.FlushOrThrow(KafkaTimeout);
        }
        foreach (var task in tasks.All)
        {
            task.SendPosition();
        }
        sink.FlushOrThrow(KafkaTimeout);
    }

    private void Abort(IConsumer<byte[], byte[]> consumer, IProducer<byte[], byte[]?> producer, TransactionalSink sink, TaskRegistry tasks, bool rewind)
    {
        if (!sink.InTransaction)
        {
            return;
        }
        if (_exactlyOnce)
        {
            producer.AbortTransaction(KafkaTimeout);
        }
        sink.Reset();
        foreach (var task in tasks.All)
        {
            task.AbortStores();
        }
        Interlocked.Increment(ref _aborts);
        metrics.Aborts.Add(1);
        if (rewind)
        {
            foreach (var committed in consumer.Committed(consumer.Assignment, KafkaTimeout))
            {
                var stored = tasks.TryGet(committed.TopicPartition, out var task) ? task!.StoredPosition : null;
                var offset = stored is { } position ? new Offset(position) : committed.Offset == Offset.Unset ? Offset.Beginning : committed.Offset;
                consumer.Seek(new TopicPartitionOffset(committed.TopicPartition, offset));
            }
        }
    }

    private List<TopicPartitionOffset> OpenTasks(int thread, List<TopicPartition> partitions, TaskRegistry tasks, string stageDirectory)
    {
        var starts = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            var task = tasks.Open(partition, stageDirectory);
            starts.Add(new TopicPartitionOffset(partition, task.StoredPosition is { } position ? new Offset(position) : Offset.Unset));
        }
        Interlocked.Add(ref _assigned[thread], partitions.Count);
        Announce();
        metrics.Rebalances.Add(partitions.Count, new KeyValuePair<string, object?>("kind", "assigned"));
        LogAssigned(handler.Stage, partitions);
        return starts;
    }

    private void CloseTasks(int thread, IEnumerable<TopicPartition> partitions, TaskRegistry tasks, string kind)
    {
        var closed = partitions.Count(tasks.Close);
        Interlocked.Add(ref _assigned[thread], -closed);
        Announce();
        metrics.Rebalances.Add(closed, new KeyValuePair<string, object?>("kind", kind));
    }

    // Every thread's partitions, announced under a lock so that a thread's view never overwrites a newer one.
    private void Announce()
    {
        if (directory is null)
        {
            return;
        }
        lock (_announcing)
        {
            directory.Announce(handler.Stage, OwnedPartitions);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage} ({Guarantee}) consuming {Topics}")]
    private partial void LogStarted(string stage, ProcessingGuarantee guarantee, IReadOnlyList<string> topics);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stage {Stage} failed: {Failure}")]
    private partial void LogFailed(string stage, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage} committed, closed its tasks and left its group")]
    private partial void LogStopped(string stage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage}: opened tasks for {Partitions}, stores restored")]
    private partial void LogAssigned(string stage, List<TopicPartition> partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction aborted ({Code}: {Reason}); rewinding to the committed offsets")]
    private partial void LogAborting(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka: {Code} {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Set aside {Record} on the dead-letter topic: {ErrorClass}: {ErrorMessage} ({Unlogged} more set aside since the last such line)")]
    private partial void LogDeadLettered(TopicPartitionOffset record, string errorClass, string errorMessage, long unlogged);
}
