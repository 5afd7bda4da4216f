using Confluent.Kafka;

namespace OmniStream.Streaming.Processing;

/// <summary>
/// The application side of a <see cref="StreamLoop"/>: handles each input record and, on every
/// tick, whatever became due (timers). An exception from <see cref="HandleAsync"/> sends the
/// record to the dead-letter topic, after retries when <see cref="IsTransient"/> says so.
/// </summary>
public interface IRecordHandler
{
    /// <summary>The topics to consume.</summary>
    IReadOnlyCollection<string> Topics { get; }

    /// <summary>Handles one record.</summary>
    ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, IRecordSink sink, CancellationToken cancellationToken);

    /// <summary>Emits what became due by <paramref name="now"/>.</summary>
    ValueTask OnTickAsync(DateTime now, IRecordSink sink, CancellationToken cancellationToken);

    /// <summary>True when a failure may pass on retry (the record is not at fault).</summary>
    bool IsTransient(Exception exception);
}
