using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace OmniStream.Streaming.DeadLetters;

/// <summary>Builds the dead letter of a record: its key, value and headers untouched, plus why and where from.</summary>
public static class DeadLetter
{
    /// <summary>The dead letter of <paramref name="record"/>, which failed with <paramref name="error"/>.</summary>
    public static Message<byte[], byte[]> Of(ConsumeResult<byte[], byte[]> record, Exception error, string applicationId, DateTime failedAt)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(error);
        var headers = new Headers();
        foreach (var header in record.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }
        Add(headers, DeadLetterHeaders.SourceTopic, record.Topic);
        Add(headers, DeadLetterHeaders.SourcePartition, record.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, DeadLetterHeaders.SourceOffset, record.Offset.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, DeadLetterHeaders.ErrorClass, error.GetType().FullName ?? error.GetType().Name);
        Add(headers, DeadLetterHeaders.ErrorMessage, error.Message);
        Add(headers, DeadLetterHeaders.Application, applicationId);
        Add(headers, DeadLetterHeaders.FailedAt, failedAt.ToString("O", CultureInfo.InvariantCulture));
        return new Message<byte[], byte[]>
        {
            Key = record.Message.Key,
            Value = record.Message.Value,
            Headers = headers,
            Timestamp = record.Message.Timestamp,
        };
    }

    private static void Add(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));
}
