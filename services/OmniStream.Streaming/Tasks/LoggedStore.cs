using Confluent.Kafka;
using OmniStream.Streaming.State;

namespace OmniStream.Streaming.Tasks;

/// <summary>A task's store whose every write also goes to its changelog partition, in the task's transaction.</summary>
internal sealed class LoggedStore(RocksDbStore store, TopicPartition changelog, TransactionalSink sink) : IKeyValueStore
{
    public string Name => store.Name;

    public RocksDbStore Inner => store;

    public TopicPartition Changelog => changelog;

    public byte[]? Find(byte[] key) => store.Find(key);

    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] fromInclusive, byte[] toExclusive) => store.Scan(fromInclusive, toExclusive);

    public void Put(byte[] key, byte[] value)
    {
        store.Put(key, value);
        sink.Send(changelog, new Message<byte[], byte[]?> { Key = key, Value = value });
    }

    public void Delete(byte[] key)
    {
        store.Delete(key);
        sink.Send(changelog, new Message<byte[], byte[]?> { Key = key, Value = null });
    }
}
