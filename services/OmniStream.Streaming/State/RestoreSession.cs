using Confluent.Kafka;

namespace OmniStream.Streaming.State;

/// <summary>
/// Restores that share one changelog consumer, built at the first restore: a stage thread opens the
/// stores of an assignment with one session. A consumer per store cost a worker starting on its own
/// 114 consumers (each with its threads and broker connections) before it processed a record. One
/// thread at a time.
/// </summary>
public sealed class RestoreSession : IDisposable
{
    private readonly StoreRestorer _restorer;
    private IConsumer<byte[], byte[]?>? _consumer;

    internal RestoreSession(StoreRestorer restorer) => _restorer = restorer;

    internal IConsumer<byte[], byte[]?> Consumer => _consumer ??= Build();

    /// <summary>How many consumers the session built (one at most, unless used after being disposed).</summary>
    internal int ConsumersBuilt { get; private set; }

    /// <summary>Opens the store in <paramref name="directory"/> and restores it from <paramref name="changelog"/>.</summary>
    public (RocksDbStore Store, RestoreResult Result) OpenAndRestore(string storeName, string directory, TopicPartition changelog, IProgress<RestoreProgress>? progress = null) =>
        _restorer.OpenAndRestore(this, storeName, directory, changelog, progress);

    /// <summary>Closes the consumer, if one was built.</summary>
    public void Dispose()
    {
        _consumer?.Dispose();
        _consumer = null;
    }

    private IConsumer<byte[], byte[]?> Build()
    {
        ConsumersBuilt++;
        return _restorer.NewConsumer();
    }
}
