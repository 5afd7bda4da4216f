using Confluent.Kafka;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Queries;

/// <summary>
/// Interactive queries over the stages' stores: where a key lives (its partition and the instance
/// that owns it, with that instance's endpoint) and, when it lives here, its committed value.
/// </summary>
public sealed class StoreQueries(IEnumerable<StreamEngine> engines, InstanceDirectory directory, StreamOptions options)
{
    private readonly Dictionary<string, StreamEngine> _byStage = engines.ToDictionary(e => e.Stage);

    /// <summary>Where <paramref name="key"/> lives in <paramref name="stage"/>.</summary>
    /// <exception cref="ArgumentException">The stage is unknown, or has no single input topic.</exception>
    /// <exception cref="InvalidOperationException">The stage has not started yet.</exception>
    public KeyLocation Locate(string stage, byte[] key)
    {
        var engine = Engine(stage);
        var partition = engine.PartitionOf(key);
        if (engine.OwnedPartitions.Contains(partition))
        {
            return new KeyLocation(partition, options.InstanceId, options.Endpoint, IsLocal: true);
        }
        var owner = directory.OtherOwnerOf(stage, partition);
        return new KeyLocation(partition, owner?.Instance, string.IsNullOrEmpty(owner?.Endpoint) ? null : owner.Endpoint, IsLocal: false);
    }

    /// <summary>
    /// The committed value of <paramref name="key"/> in <paramref name="store"/> of <paramref name="stage"/>
    /// when this instance owns its shard now (null value: no such key); false when it does not (ask <see cref="Locate"/>'s owner).
    /// </summary>
    public bool TryGetLocal(string stage, string store, byte[] key, out byte[]? value) => Engine(stage).TryRead(store, key, out value);

    /// <summary>
    /// The committed value of <paramref name="key"/> in <paramref name="store"/> of <paramref name="stage"/> and its
    /// parts (<see cref="State.KeyParts"/>), read at one point in time, when this instance owns its shard now; false when it does not.
    /// </summary>
    public bool TryGetLocalWithParts(string stage, string store, byte[] key, out byte[]? value, out IReadOnlyList<KeyValuePair<byte[], byte[]>> parts) =>
        Engine(stage).TryReadWithParts(store, key, out value, out parts);

    /// <summary>Every committed entry of <paramref name="store"/> of <paramref name="stage"/> in the shards this instance owns, with their partitions.</summary>
    public IReadOnlyList<(int Partition, byte[] Key, byte[] Value)> ReadLocal(string stage, string store) => Engine(stage).ReadLocal(store);

    /// <summary>The input partitions of <paramref name="stage"/> this instance owns now.</summary>
    public IReadOnlyList<int> LocalPartitions(string stage) => [.. Engine(stage).OwnedPartitions.Select(p => p.Partition.Value)];

    /// <summary>How many input partitions <paramref name="stage"/> has (0 before it starts).</summary>
    public int Partitions(string stage) => Engine(stage).InputPartitions;

    /// <summary>The other instances that own partitions of <paramref name="stage"/>, and where they answer queries.</summary>
    public IReadOnlyList<(string Instance, string Endpoint)> OtherInstances(string stage) =>
        [.. directory.InStage(stage).Where(a => a.Instance != options.InstanceId && a.Endpoint.Length > 0).Select(a => (a.Instance, a.Endpoint)).Distinct()];

    private StreamEngine Engine(string stage) =>
        _byStage.TryGetValue(stage, out var engine) ? engine : throw new ArgumentException($"no stage '{stage}' (stages: {string.Join(", ", _byStage.Keys)})", nameof(stage));
}

/// <summary>Where a key lives.</summary>
/// <param name="Partition">The input partition, hence the store shard, of the key.</param>
/// <param name="Instance">The instance that owns it; null while no instance claims it (a rebalance under way).</param>
/// <param name="Endpoint">Where that instance answers queries, if it said.</param>
/// <param name="IsLocal">True when this instance owns it.</param>
public sealed record KeyLocation(TopicPartition Partition, string? Instance, string? Endpoint, bool IsLocal);
