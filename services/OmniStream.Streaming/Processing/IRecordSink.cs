using Confluent.Kafka;

namespace OmniStream.Streaming.Processing;

/// <summary>Where a handler writes its outputs; they are delivered before the input's offset is committed.</summary>
public interface IRecordSink
{
    /// <summary>Queues a record for <paramref name="topic"/>.</summary>
    void Send(string topic, byte[] key, byte[] value, Headers? headers = null);

    /// <summary>Queues a whole message (its timestamp and headers kept) for <paramref name="topic"/>.</summary>
    void Send(string topic, Message<byte[], byte[]?> message);
}
