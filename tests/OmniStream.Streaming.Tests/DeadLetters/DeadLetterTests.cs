using System.Text;
using Confluent.Kafka;
using OmniStream.Kafka.Operations.DeadLetters;

namespace OmniStream.Streaming.Tests.DeadLetters;

public class DeadLetterTests
{
    [Test]
    public void A_dead_letter_keeps_the_record_untouched_and_adds_where_from_and_why()
    {
        var original = new Headers { { "traceparent", "00-abc-def-01"u8.ToArray() } };
        var record = new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset("omni.interactions.web", 4, 1234),
            Message = new Message<byte[], byte[]> { Key = [1, 2], Value = [0xFF, 0x00, 0x7B], Headers = original, Timestamp = new Timestamp(1_000, TimestampType.CreateTime) },
        };

        var letter = DeadLetter.Of(record, new FormatException("bad bytes"), "omnistream-worker", new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc));

        Assert.That(letter.Key, Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(letter.Value, Is.EqualTo(new byte[] { 0xFF, 0x00, 0x7B }));
        Assert.That(letter.Timestamp.UnixTimestampMs, Is.EqualTo(1_000));
        Assert.That(Header(letter, "traceparent"), Is.EqualTo("00-abc-def-01"));
        Assert.That(Header(letter, DeadLetterHeaders.SourceTopic), Is.EqualTo("omni.interactions.web"));
        Assert.That(Header(letter, DeadLetterHeaders.SourcePartition), Is.EqualTo("4"));
        Assert.That(Header(letter, DeadLetterHeaders.SourceOffset), Is.EqualTo("1234"));
        Assert.That(Header(letter, DeadLetterHeaders.ErrorClass), Is.EqualTo("System.FormatException"));
        Assert.That(Header(letter, DeadLetterHeaders.ErrorMessage), Is.EqualTo("bad bytes"));
        Assert.That(Header(letter, DeadLetterHeaders.Application), Is.EqualTo("omnistream-worker"));
        Assert.That(Header(letter, DeadLetterHeaders.FailedAt), Is.EqualTo("2026-11-22T10:00:00.0000000Z"));
    }

    private static string Header(Message<byte[], byte[]> message, string name) => Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));
}
