using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Telemetry;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// The commit and the abort of one stage thread: what its tasks wrote since the last commit, their
/// input positions and their consumed offsets go out together (in one Kafka transaction with
/// exactly-once), and only then do the stores apply their pending writes; an abort drops them and,
/// when asked, rewinds the input to the committed position.
/// </summary>
internal sealed partial class StageTransaction(
    IProducer<byte[], byte[]?> producer,
    TransactionalSink sink,
    TaskRegistry tasks,
    IStreamHandler handler,
    StreamOptions options,
    StreamingMetrics metrics,
    ILogger logger,
    Action aborted,
    GroupMembership membership)
{
    private static readonly TimeSpan KafkaTimeout = TimeSpan.FromSeconds(30);
    private readonly bool _exactlyOnce = options.Guarantee == ProcessingGuarantee.ExactlyOnce;
    private readonly bool _commitInOneFlush = options.Guarantee == ProcessingGuarantee.ExactlyOnce && options.BrokersIsolateTransactions;

    /// <summary>Commits what was written since the last commit; aborts and rewinds when the brokers refuse.</summary>
    /// <returns>False when the transaction was aborted.</returns>
    public bool CommitOrAbort(IConsumer<byte[], byte[]> consumer)
    {
        if (!sink.InTransaction)
        {
            return true;
        }
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var task in tasks.All)
            {
                handler.OnCommitting(task);
            }
            SendStateAndPositions(consumer);
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
            Aborting(e);
            Abort(consumer, rewind: true);
            return false;
        }
        foreach (var task in tasks.All)
        {
            task.CommitStores();
        }
        sink.Reset();
        metrics.CommitTime.Record(clock.Elapsed.TotalMilliseconds);
        return true;
    }

    /// <summary>Says why the transaction cannot go on, before it is aborted.</summary>
    public void Aborting(KafkaException error) => LogAborting(error.Error.Code, error.Message);

    /// <summary>
    /// Drops what was written since the last commit; with <paramref name="rewind"/>, the input goes
    /// back to each task's stored position (or the group's committed offset).
    /// </summary>
    public void Abort(IConsumer<byte[], byte[]> consumer, bool rewind)
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
        aborted();
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

    // Outputs, then state changes, then positions, each delivered before the next is sent, so
    // that whatever part of an interrupted commit a reader sees, it never sees a position without
    // the state and outputs before it, nor state without its outputs. On brokers that hide open
    // and aborted transactions, readers (the restorer too) see all of a transaction or none of it,
    // so one flush does: two round trips less per commit. Elsewhere, a thread back from a long absence
    // sends state only once the group confirmed it (GroupMembership): such brokers may not fence a dropped member.
    private void SendStateAndPositions(IConsumer<byte[], byte[]> consumer)
    {
        if (!_commitInOneFlush)
        {
            sink.FlushOrThrow(KafkaTimeout);
            membership.ConfirmIfAway(consumer, StoredPositions);
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

    private List<TopicPartitionOffset> StoredPositions()
    {
        var positions = new List<TopicPartitionOffset>();
        foreach (var task in tasks.All)
        {
            if (task.StoredPosition is { } position)
            {
                positions.Add(new TopicPartitionOffset(task.Input, position));
            }
        }
        return positions;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction aborted ({Code}: {Reason}); rewinding to the committed offsets")]
    private partial void LogAborting(ErrorCode code, string reason);
}
