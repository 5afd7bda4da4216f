using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RocksDbSharp;
using OmniStream.Kafka;

namespace OmniStream.Streaming.State;

/// <summary>
/// Opens a task's store and brings it up to date with its changelog partition before the task
/// processes anything: from the local checkpoint when it is valid, else from the start of the log
/// after wiping the local files (corrupt files, or a checkpoint ahead of the log as on a new cluster).
/// Files that cannot be opened for another reason (a lock, a full disk, a permission) are left as they
/// are and the store is not opened (<see cref="StoreUnavailableException"/>).
/// </summary>
public sealed partial class StoreRestorer(KafkaOptions kafka, ILogger<StoreRestorer> logger)
{
    private static readonly TimeSpan WatermarkTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Opens the store in <paramref name="directory"/> and restores it from <paramref name="changelog"/>, with a consumer of its own.</summary>
    public (RocksDbStore Store, RestoreResult Result) OpenAndRestore(string storeName, string directory, TopicPartition changelog, IProgress<RestoreProgress>? progress = null)
    {
        using var session = NewSession();
        return session.OpenAndRestore(storeName, directory, changelog, progress);
    }

    /// <summary>Restores that share one changelog consumer (one thread's, for the stores of one assignment).</summary>
    public RestoreSession NewSession() => new(this);

    internal (RocksDbStore Store, RestoreResult Result) OpenAndRestore(RestoreSession session, string storeName, string directory, TopicPartition changelog,
        IProgress<RestoreProgress>? progress)
    {
        ArgumentNullException.ThrowIfNull(changelog);
        string? rebuildReason = null;
        RocksDbStore store;
        try
        {
            store = RocksDbStore.Open(storeName, directory);
        }
        catch (RocksDbException e) when (IsCorruption(e))
        {
            rebuildReason = $"the local store is unreadable ({e.Message})";
            store = Rebuild(storeName, directory, changelog, rebuildReason, null);
        }
        catch (RocksDbException e)
        {
            // A lock held, a full disk, a permission: the files may be sound, and wiping them would lose what the changelog
            // no longer holds (a truncated head). The stage fails instead, saying why.
            throw new StoreUnavailableException($"store {storeName} in {directory} cannot be opened, and is left as it is: {e.Message}", e);
        }

        try
        {
            return Restore(session, ref store, storeName, directory, changelog, rebuildReason, progress);
        }
        catch
        {
            // The store (or the one rebuilt in its place) is not left open, holding its lock, when the restore fails.
            store.Dispose();
            throw;
        }
    }

    // Brings the open store up to date; `store` is the one rebuilt in its place, when it was.
    private (RocksDbStore Store, RestoreResult Result) Restore(RestoreSession session, ref RocksDbStore store, string storeName, string directory,
        TopicPartition changelog, string? rebuildReason, IProgress<RestoreProgress>? progress)
    {
        var consumer = session.Consumer;
        var watermarks = consumer.QueryWatermarkOffsets(changelog, WatermarkTimeout);
        if (store.Checkpoint is { } checkpoint && checkpoint > watermarks.High.Value)
        {
            rebuildReason = $"its checkpoint {checkpoint} is ahead of the changelog's end {watermarks.High.Value} (a new or emptied cluster)";
            store = Rebuild(storeName, directory, changelog, rebuildReason, store);
        }

        var from = store.Checkpoint ?? watermarks.Low.Value;
        long? lostBefore = null;
        if (watermarks.Low.Value > (store.Checkpoint ?? 0))
        {
            // A compacted changelog keeps its start; one that lost its head (the embedded
            // cluster keeps 5 MB per partition) cannot give back the keys written there.
            LogTruncated(storeName, changelog, watermarks.Low.Value, store.Checkpoint ?? 0);
            from = watermarks.Low.Value;
            lostBefore = from;
        }
        var (records, reached) = from < watermarks.High.Value ? Replay(consumer, store, changelog, from, watermarks.High.Value, progress) : (0, from);
        if (records > 0 || store.Checkpoint is null)
        {
            // What was read, not the log's end: a read-committed restore stops before a transaction still open, which a
            // later restore must read once it commits.
            store.Commit(reached);
        }
        var result = new RestoreResult(records, from, reached, rebuildReason is not null, rebuildReason, lostBefore);
        LogRestored(storeName, changelog, records, from, reached);
        return (store, result);
    }

    // Applies the changelog from `from` towards `end`; returns the records applied and the offset read up to. The
    // consumer is left without an assignment, for the session's next store.
    private static (long Applied, long Reached) Replay(IConsumer<byte[], byte[]?> consumer, RocksDbStore store, TopicPartition changelog, long from, long end,
        IProgress<RestoreProgress>? progress)
    {
        consumer.Assign(new TopicPartitionOffset(changelog, from));
        try
        {
            return Apply(consumer, store, changelog, from, end, progress);
        }
        finally
        {
            try
            {
                consumer.Unassign();
            }
            catch (KafkaException)
            {
                // The next store's assignment replaces this one anyway; an error of the replay, if any, is the one to tell.
            }
        }
    }

    private static (long Applied, long Reached) Apply(IConsumer<byte[], byte[]?> consumer, RocksDbStore store, TopicPartition changelog, long from, long end,
        IProgress<RestoreProgress>? progress)
    {
        progress?.Report(new RestoreProgress(0, end - from));
        long applied = 0;
        while (true)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (record is not null && record.TopicPartition != changelog)
            {
                // Left from an earlier store of the session (unassigned since): not this store's.
                continue;
            }
            if (record is null || record.IsPartitionEOF)
            {
                if (consumer.Position(changelog).Value >= end || record?.IsPartitionEOF == true)
                {
                    break;
                }
                continue;
            }
            if (record.Message.Value is null)
            {
                store.Delete(record.Message.Key);
            }
            else
            {
                store.Put(record.Message.Key, record.Message.Value);
            }
            applied++;
            if (applied % 10_000 == 0)
            {
                // Bounded memory on long restores: apply what was read, checkpoint where we are.
                store.Commit(record.Offset.Value + 1);
                progress?.Report(new RestoreProgress(applied, Math.Max(0, end - record.Offset.Value - 1)));
            }
        }
        progress?.Report(new RestoreProgress(applied, 0));
        var position = consumer.Position(changelog);
        return (applied, position == Offset.Unset ? from : Math.Min(position.Value, end));
    }

    // RocksDB names the kind of failure first ("Corruption: ...", "IO error: ...").
    private static bool IsCorruption(RocksDbException e) => e.Message.StartsWith("Corruption", StringComparison.Ordinal);

    private RocksDbStore Rebuild(string storeName, string directory, TopicPartition changelog, string reason, RocksDbStore? open)
    {
        LogRebuilding(storeName, changelog, reason);
        open?.Dispose();
        RocksDbStore.Wipe(directory);
        return RocksDbStore.Open(storeName, directory);
    }

    internal IConsumer<byte[], byte[]?> NewConsumer() => new ConsumerBuilder<byte[], byte[]?>(RestoreConsumerConfig()).Build();

    private ConsumerConfig RestoreConsumerConfig()
    {
        // Assigned partitions only, never committed: the group id is a formality for librdkafka.
        var config = KafkaClientConfigs.Consumer(kafka, "omnistream-restore", "omnistream-restore");
        config.EnablePartitionEof = true;
        return config;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store {Store}: wiping the local copy and rebuilding it from {Changelog}, because {Reason}")]
    private partial void LogRebuilding(string store, TopicPartition changelog, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store {Store}: changelog {Changelog} starts at offset {Start}, after the store's checkpoint {Checkpoint}: the keys last written in between are lost to this store")]
    private partial void LogTruncated(string store, TopicPartition changelog, long start, long checkpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Store}: restored {Records} records from {Changelog} offsets {From}..{To}")]
    private partial void LogRestored(string store, TopicPartition changelog, long records, long from, long to);
}
