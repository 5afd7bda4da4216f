using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Customers.Identity;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Ingest;

/// <summary>
/// Stage <c>ingest</c>: reads every channel's interactions and forwards each event, bytes, headers
/// and timestamp untouched, keyed by the id identity resolution will look up, so that an id's
/// events and the link that ties it to a customer meet in one task. An event that does not decode
/// is dead-lettered here, before it reaches any state.
/// </summary>
public sealed class IngestHandler(AvroSerde<InteractionEvent> interactions, string identityInput) : IStreamHandler
{
    /// <inheritdoc />
    public string Stage => WorkerTopology.IngestStage;

    /// <inheritdoc />
    public IReadOnlyList<string> InputTopics { get; } = TopicCatalog.AllInteractions.Select(t => t.Name).ToList();

    /// <inheritdoc />
    public IReadOnlyList<string> Stores { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<string> DownstreamTopics { get; } = [identityInput];

    /// <inheritdoc />
    public async ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(task);
        var interaction = await interactions.DeserializeAsync(record.Message.Value, cancellationToken).ConfigureAwait(false);
        task.Send(identityInput, new Message<byte[], byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(IdentityResolver.LookupKey(interaction)),
            Value = record.Message.Value,
            Headers = record.Message.Headers,
            Timestamp = record.Message.Timestamp,
        });
    }

    /// <inheritdoc />
    public ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public bool IsTransient(Exception exception) => exception is AvroDecodeException { IsTransient: true };
}
