using System.Text;
using Confluent.Kafka;

namespace OmniStream.Worker.Topology;

/// <summary>How a stage passes a record on to the next: the same value and timestamp under the key the next stage groups by.</summary>
public static class Rekeyed
{
    /// <summary><paramref name="record"/>'s value and timestamp, keyed by <paramref name="key"/>, with <paramref name="headers"/>.</summary>
    public static Message<byte[], byte[]?> Message(ConsumeResult<byte[], byte[]> record, string key, Headers? headers) =>
        Message(record, Encoding.UTF8.GetBytes(key), headers);

    /// <summary>The record's value, headers and timestamp under <paramref name="key"/> (UTF-8 bytes).</summary>
    public static Message<byte[], byte[]?> Message(ConsumeResult<byte[], byte[]> record, byte[] key, Headers? headers)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new Message<byte[], byte[]?>
        {
            Key = key,
            Value = record.Message.Value,
            Headers = headers,
            Timestamp = record.Message.Timestamp,
        };
    }
}
