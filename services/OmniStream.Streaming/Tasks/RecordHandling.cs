using Confluent.Kafka;
using Polly;

namespace OmniStream.Streaming.Tasks;

/// <summary>How a stage hands a record to its handler, in the engine and in the stage test driver alike.</summary>
internal static class RecordHandling
{
    /// <summary>
    /// Runs the handler on <paramref name="record"/>, retrying what it calls transient; any other
    /// failure sets the record aside (<paramref name="setAside"/>). A Kafka error is the
    /// transaction's, not the record's: it propagates and the transaction is replayed; so does the stop.
    /// A failure still transient after the retries is a dependency's, not the record's: it propagates
    /// as <see cref="DependencyUnavailableException"/>, and the record is not set aside.
    /// </summary>
    public static async ValueTask HandleOrSetAsideAsync(this IStreamHandler handler, ConsumeResult<byte[], byte[]> record, ITaskContext task,
        ResiliencePipeline retry, Action<TopicPartitionOffset, Message<byte[], byte[]>, Exception> setAside, CancellationToken stop)
    {
        try
        {
            // State passed explicitly: no closure per record.
            await retry.ExecuteAsync(static (state, token) => state.handler.HandleAsync(state.record, state.task, token), (handler, record, task), stop)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (error is not KafkaException && (error is not OperationCanceledException || !stop.IsCancellationRequested))
        {
            if (handler.IsTransient(error))
            {
                throw new DependencyUnavailableException($"{record.TopicPartitionOffset}: {error.Message}", error);
            }
            setAside(record.TopicPartitionOffset, record.Message, error);
        }
    }
}
