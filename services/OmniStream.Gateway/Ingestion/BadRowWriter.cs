using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Kafka;

namespace OmniStream.Gateway.Ingestion;

/// <summary>Keeps refused events on <c>omni.bad-rows</c> (<see cref="Adapters.Json.BadRows"/>) through an idempotent producer.</summary>
public sealed class BadRowWriter(KafkaOptions kafka) : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(kafka, "omnistream-gateway-bad-rows")).Build();

    /// <summary>Writes <paramref name="rows"/>; completes when the brokers have them all.</summary>
    /// <exception cref="KafkaException">The brokers did not take one.</exception>
    public Task WriteAsync(IEnumerable<Message<byte[], byte[]>> rows, CancellationToken cancellationToken) =>
        Task.WhenAll(rows.Select(row => _producer.ProduceAsync(TopicCatalog.BadRows.Name, row, cancellationToken)));

    /// <inheritdoc />
    public void Dispose() => _producer.Dispose();
}
