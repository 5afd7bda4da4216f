using Confluent.Kafka;
using OmniStream.Streaming.Telemetry;

namespace OmniStream.Streaming.Processing;

/// <summary>
/// Sends outputs through one producer and remembers the first delivery that failed, so that the
/// loop never commits the offset of an input whose outputs were lost.
/// </summary>
internal sealed class ProducerSink(IProducer<byte[], byte[]> producer, StreamingMetrics metrics) : IRecordSink
{
    private Exception? _firstFailure;

    public void Send(string topic, byte[] key, byte[] value, Headers? headers = null) =>
        Send(topic, new Message<byte[], byte[]> { Key = key, Value = value, Headers = headers });

    public void Send(string topic, Message<byte[], byte[]> message)
    {
        producer.Produce(topic, message, OnDelivered);
        metrics.RecordsOut.Add(1, new KeyValuePair<string, object?>("topic", topic));
    }

    /// <summary>Waits until every output is delivered; throws if any was not.</summary>
    public void FlushOrThrow(TimeSpan timeout)
    {
        if (producer.Flush(timeout) > 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"outputs still undelivered after {timeout.TotalSeconds:0.#} s"));
        }
        if (Volatile.Read(ref _firstFailure) is { } failure)
        {
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "an output was not delivered: " + failure.Message), failure);
        }
    }

    private void OnDelivered(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.CompareExchange(ref _firstFailure, new KafkaException(report.Error), null);
        }
    }
}
