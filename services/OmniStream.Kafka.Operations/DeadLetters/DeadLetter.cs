using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace OmniStream.Kafka.Operations.DeadLetters;

/// <summary>Builds the dead letter of a record: its key, value and headers untouched, plus why and where from.</summary>
public static class DeadLetter
{
    /// <summary>The dead letter of <paramref name="record"/>, which failed with <paramref name="error"/>.</summary>
    public static Message<byte[], byte[]> Of(ConsumeResult<byte[], byte[]> record, Exception error, string applicationId, DateTime failedAt)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Of(record.TopicPartitionOffset, record.Message, error, applicationId, failedAt);
    }

    /// <summary>
    /// The dead letter of <paramref name="message"/> from <paramref name="source"/> (a record read
    /// from a topic, or a value read from a store, whose source is its changelog partition and
    /// whose offset is <see cref="Offset.Unset"/>), which failed with <paramref name="error"/>.
    /// </summary>
    public static Message<byte[], byte[]> Of(TopicPartitionOffset source, Message<byte[], byte[]> message, Exception error, string applicationId, DateTime failedAt)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(error);
        var headers = new Headers();
        foreach (var header in message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }
        Add(headers, DeadLetterHeaders.SourceTopic, source.Topic);
        Add(headers, DeadLetterHeaders.SourcePartition, source.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, DeadLetterHeaders.SourceOffset, source.Offset.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, DeadLetterHeaders.ErrorClass, error.GetType().FullName ?? error.GetType().Name);
        Add(headers, DeadLetterHeaders.ErrorMessage, error.Message);
        Add(headers, DeadLetterHeaders.Application, applicationId);
        Add(headers, DeadLetterHeaders.FailedAt, failedAt.ToString("O", CultureInfo.InvariantCulture));
        return new Message<byte[], byte[]>
        {
            Key = message.Key,
            Value = message.Value,
            Headers = headers,
            Timestamp = message.Timestamp,
        };
    }

    private static void Add(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));
}
