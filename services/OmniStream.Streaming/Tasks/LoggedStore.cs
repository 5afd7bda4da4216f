using Confluent.Kafka;
using OmniStream.Streaming.State;

namespace OmniStream.Streaming.Tasks;

/// <summary>
/// A task's store backed by a changelog partition. Writes stay pending in the store; at commit the
/// last write of each key goes to the changelog (so a key written many times in one commit
/// interval costs one changelog record), after the task's outputs and before its position.
/// </summary>
internal sealed class LoggedStore(IStoreShard store, TopicPartition changelog, IStageSink sink) : IKeyValueStore
{
    public string Name => store.Name;

    public IStoreShard Inner => store;

    public TopicPartition Changelog => changelog;

    public byte[]? Find(byte[] key) => store.Find(key);

    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] fromInclusive, byte[] toExclusive) => store.Scan(fromInclusive, toExclusive);

    public void Put(byte[] key, byte[] value) => store.Put(key, value);

    public void Delete(byte[] key) => store.Delete(key);

    /// <summary>Sends the pending writes to the changelog, in the open transaction.</summary>
    public void SendPendingToChangelog()
    {
        foreach (var (key, value) in store.Pending)
        {
            sink.Send(changelog, key, value);
        }
    }
}
