using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Identity;

/// <summary>
/// Stage <c>identity</c>: reads every channel's interactions and forwards each event, bytes,
/// headers and timestamp untouched, to the repartition topic keyed by its subject, so that the
/// next stage sees all of a subject's events in one task. An event that does not decode is
/// dead-lettered here, before it reaches any state.
/// </summary>
public sealed class SubjectRekeyHandler(AvroSerde<InteractionEvent> interactions, string repartitionTopic) : IStreamHandler
{
    /// <inheritdoc />
    public string Stage => WorkerTopology.IdentityStage;

    /// <inheritdoc />
    public IReadOnlyList<string> InputTopics { get; } = TopicCatalog.AllInteractions.Select(t => t.Name).ToList();

    /// <inheritdoc />
    public IReadOnlyList<string> Stores { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<string> DownstreamTopics { get; } = [repartitionTopic];

    /// <inheritdoc />
    public async ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(task);
        var interaction = await interactions.DeserializeAsync(record.Message.Value, cancellationToken).ConfigureAwait(false);
        task.Send(repartitionTopic, new Message<byte[], byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(interaction.subject.Key),
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
