using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Kpis;

/// <summary>
/// Stage <c>kpis</c>: sums the counts stage <c>customers</c> sends per cell (window and scope) in the
/// kpis store, and publishes each cell's figures to <c>omni.kpis</c> as they change. A cell counted
/// several times within a commit (stage customers' tasks each send their own sum) is read once,
/// summed in memory, and written and published once at commit; the counts a cell was committed with
/// stay in memory, so that a later commit does not read them again. Counts of a window past its
/// keeping time are dropped, and such windows leave the store. A segment's running count of members
/// (<see cref="SegmentMembers"/>) sums the same way, is never pruned, and is read through the API only.
/// </summary>
public sealed class KpiHandler(AvroSerde<KpiUpdate> updates, KpiOptions options, TimeProvider time, string kpisInput) : IStreamHandler
{
    private static readonly string Topic = TopicCatalog.Kpis.Name;
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public string Stage => WorkerTopology.KpisStage;

    /// <inheritdoc />
    public IReadOnlyList<string> InputTopics { get; } = [kpisInput];

    /// <inheritdoc />
    public IReadOnlyList<string> Stores { get; } = [WorkerTopology.KpisStore];

    /// <inheritdoc />
    public ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(task);
        var cells = Pending(task);
        var key = record.Message.Key;
        if (!cells.TryGetValue(key, out var pending))
        {
            var committed = Committed(task);
            var known = committed.TryGetValue(key, out var held);
            var cell = known ? held.Cell : SegmentMembers.IsKey(key) ? ValidMembers(key) : KpiCell.ParseUtf8(key);
            if (cell is { } windowed && KeptUntil(windowed) < time.GetUtcNow().UtcDateTime)
            {
                return ValueTask.CompletedTask;
            }
            pending = new PendingCell(cell);
            KpiCodec.AddTo(pending.Tally, record.Message.Value);
            if ((known ? held.Counts : task.ReadOrSetAside(WorkerTopology.KpisStore, key, KpiCodec.DecodeCounts)) is { } stored)
            {
                pending.Tally.Add(stored);
            }
            cells[key] = pending;
            return ValueTask.CompletedTask;
        }
        KpiCodec.AddTo(pending.Tally, record.Message.Value);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes each cell counted since the last commit, once: its counts in the store, and one update of its figures.</summary>
    public void OnCommitting(ITaskContext task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (Pending(task) is not { Count: > 0 } cells)
        {
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var store = task.Store(WorkerTopology.KpisStore);
        var committed = Committed(task);
        if (committed.Count + cells.Count > CommittedCells.Bound)
        {
            committed.Clear();
        }
        foreach (var (key, pending) in cells)
        {
            var counts = pending.Tally.Counts;
            store.Put(key, KpiCodec.Encode(counts));
            if (pending.Cell is { } cell)
            {
                task.Send(Topic, key, updates.Serialize(KpiUpdates.Of(cell, counts, now), Topic));
            }
            committed[key] = (pending.Cell, counts);
        }
        cells.Clear();
    }

    /// <inheritdoc />
    public ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var pruned = task.Local(nameof(PruneClock), () => new PruneClock());
        if (now - pruned.Last < PruneInterval)
        {
            return ValueTask.CompletedTask;
        }
        pruned.Last = now;
        var store = task.Store(WorkerTopology.KpisStore);
        var committed = Committed(task);
        foreach (var window in KpiWindows.All)
        {
            var endedBefore = now - KpiWindows.Kept(window, options) - KpiWindows.Length(window);
            var expired = store.Scan(Encoding.UTF8.GetBytes(KpiCell.Prefix(window, DateTime.MinValue)), Encoding.UTF8.GetBytes(KpiCell.Prefix(window, endedBefore)))
                .Select(entry => entry.Key).ToList();
            foreach (var key in expired)
            {
                store.Delete(key);
                committed.Remove(key);
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public bool IsTransient(Exception exception) => RegistryUnavailableException.IsOutage(exception);

    private static PendingCells Pending(ITaskContext task) => task.Local(nameof(PendingCells), static () => new PendingCells());

    private static CommittedCells Committed(ITaskContext task) => task.Local(nameof(CommittedCells), static () => new CommittedCells());

    // A members key has no cell: checked, and null.
    private static KpiCell? ValidMembers(byte[] key)
    {
        SegmentMembers.ScopeOf(key);
        return null;
    }

    private DateTime KeptUntil(KpiCell cell) => cell.Start + KpiWindows.Length(cell.Window) + KpiWindows.Kept(cell.Window, options);

    // The cells counted since the last commit, by key, with their stored counts added: written at commit.
    private sealed class PendingCells() : Dictionary<byte[], PendingCell>(ByteArrayComparer.Instance);

    // Each cell read, with the counts it was last committed with, so that a cell counted again in a later commit is
    // neither read from the store nor parsed. A task local: dropped with an aborted transaction, so it never holds
    // what was not committed.
    private sealed class CommittedCells() : Dictionary<byte[], (KpiCell? Cell, KpiCounts Counts)>(ByteArrayComparer.Instance)
    {
        // Cells of every window and scope a task has seen within the windows' keeping time: past this, forgotten at once.
        public const int Bound = 100_000;
    }

    // A cell's counts, or a segment's members (no cell).
    private sealed class PendingCell(KpiCell? cell)
    {
        public KpiCell? Cell { get; } = cell;

        public KpiTally Tally { get; } = new();
    }

    private sealed class PruneClock
    {
        public DateTime Last { get; set; } = DateTime.MinValue;
    }
}
