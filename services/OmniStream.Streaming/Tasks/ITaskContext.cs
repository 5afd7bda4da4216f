using OmniStream.Streaming.Processing;
using OmniStream.Streaming.State;

namespace OmniStream.Streaming.Tasks;

/// <summary>What a stateful handler sees of the task that owns the current partition.</summary>
public interface ITaskContext : IRecordSink
{
    /// <summary>The input partition (and store shard) of the task.</summary>
    int Partition { get; }

    /// <summary>A store of the task; its writes reach the changelog in the same transaction as the outputs.</summary>
    IKeyValueStore Store(string name);

    /// <summary>
    /// The task's in-memory object named <paramref name="name"/> (a cache over its stores), made by
    /// <paramref name="create"/> on first use. The engine drops it when a transaction aborts and
    /// when the task closes (disposing of it if it is <see cref="IDisposable"/>), so it must hold
    /// nothing that cannot be rebuilt from the stores.
    /// </summary>
    T Local<T>(string name, Func<T> create) where T : class;

    /// <summary>As <see cref="Local{T}(string, Func{T})"/>, made by <paramref name="create"/> from <paramref name="argument"/> (a static lambda: no closure per call).</summary>
    T Local<T, TArgument>(string name, TArgument argument, Func<TArgument, T> create) where T : class;

    /// <summary>
    /// Sets a stored value the handler cannot read aside on the dead-letter topic, untouched, in the
    /// current transaction (its source is the store's changelog partition, with offset -1), so that
    /// the handler can start the key afresh instead of failing on every later record.
    /// </summary>
    void SetAside(string store, byte[] key, byte[] value, Exception reason);

    /// <summary>
    /// Fires the timer of <paramref name="key"/> (kept in <paramref name="store"/>, due at
    /// <paramref name="due"/>) by running <paramref name="fire"/> with <paramref name="state"/>, as a record is handled: a failure
    /// the handler calls transient is retried; any other sets the timer aside on the dead-letter
    /// topic (its key, and its due time as 8 big-endian bytes of ticks, with the store's changelog
    /// as its source) and the stage goes on without it.
    /// </summary>
    ValueTask FireAsync<TState>(string store, byte[] key, DateTime due, TState state, Func<TState, CancellationToken, ValueTask> fire, CancellationToken cancellationToken);
}
