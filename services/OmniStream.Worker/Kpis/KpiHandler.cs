using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Kpis;

/// <summary>
/// Stage <c>kpis</c>: sums the counts stage <c>customers</c> sends per cell (window and scope) in the
/// kpis store, and publishes each cell's figures to <c>omni.kpis</c> as they change. Counts of a
/// window past its keeping time are dropped, and such windows leave the store.
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
    public async ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(task);
        var cell = KpiCell.Parse(Encoding.UTF8.GetString(record.Message.Key));
        var added = KpiCodec.DecodeCounts(record.Message.Value);
        var now = time.GetUtcNow().UtcDateTime;
        if (KeptUntil(cell) < now)
        {
            return;
        }
        var key = record.Message.Key;
        var counts = (task.ReadOrSetAside(WorkerTopology.KpisStore, key, KpiCodec.DecodeCounts) ?? KpiCounts.Zero).Plus(added);
        task.Store(WorkerTopology.KpisStore).Put(key, KpiCodec.Encode(counts));
        task.Send(Topic, key, await updates.SerializeAsync(KpiUpdates.Of(cell, counts, now), Topic, cancellationToken).ConfigureAwait(false));
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
        foreach (var window in KpiWindows.All)
        {
            var endedBefore = now - KpiWindows.Kept(window, options) - KpiWindows.Length(window);
            var expired = store.Scan(Encoding.UTF8.GetBytes(KpiCell.Prefix(window, DateTime.MinValue)), Encoding.UTF8.GetBytes(KpiCell.Prefix(window, endedBefore)))
                .Select(entry => entry.Key).ToList();
            expired.ForEach(store.Delete);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public bool IsTransient(Exception exception) => exception is AvroDecodeException { IsTransient: true };

    private DateTime KeptUntil(KpiCell cell) => cell.Start + KpiWindows.Length(cell.Window) + KpiWindows.Kept(cell.Window, options);

    private sealed class PruneClock
    {
        public DateTime Last { get; set; } = DateTime.MinValue;
    }
}
