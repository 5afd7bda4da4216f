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
}
