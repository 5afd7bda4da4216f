using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace OmniStream.Kafka.Operations.DeadLetters;

/// <summary>A dead letter as read back: where it came from, why it failed, and where it sits.</summary>
/// <param name="Position">Its own place in the dead-letter topic.</param>
/// <param name="SourceTopic">The topic it was read from.</param>
/// <param name="SourcePartition">Its partition there.</param>
/// <param name="SourceOffset">Its offset there.</param>
/// <param name="ErrorClass">The exception's type.</param>
/// <param name="ErrorMessage">The exception's message.</param>
public sealed record DeadLetterRecord(TopicPartitionOffset Position, string SourceTopic, int SourcePartition, long SourceOffset, string ErrorClass, string ErrorMessage)
{
    /// <summary>
    /// False for what was set aside from a store (a stored value or a timer that could not be used,
    /// whose source is the store's changelog, offset -1): it was not read from a topic, and writing
    /// it to a changelog would corrupt the store, so it is never replayed.
    /// </summary>
    public bool IsReplayable => SourceOffset >= 0;

    /// <summary>Reads the reason headers of a dead letter; null when a header is missing (not a dead letter of ours).</summary>
    public static DeadLetterRecord? From(ConsumeResult<byte[], byte[]> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var headers = record.Message.Headers;
        string? Read(string name) => headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        return Read(DeadLetterHeaders.SourceTopic) is { } topic
               && int.TryParse(Read(DeadLetterHeaders.SourcePartition), CultureInfo.InvariantCulture, out var partition)
               && long.TryParse(Read(DeadLetterHeaders.SourceOffset), CultureInfo.InvariantCulture, out var offset)
            ? new DeadLetterRecord(record.TopicPartitionOffset, topic, partition, offset, Read(DeadLetterHeaders.ErrorClass) ?? "", Read(DeadLetterHeaders.ErrorMessage) ?? "")
            : null;
    }
}
