using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Customers.Identity;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.ServiceDefaults.Privacy;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Telemetry;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Identity;

/// <summary>
/// Stage <c>identity</c>: decides whose event each one is (<see cref="IdentityResolver"/>), keeps
/// the links of anonymous and device ids in the links store, and forwards the event keyed by its
/// customer. The first link of an id also asks the id's state to move to the customer (a record
/// keyed by the id, header <see cref="StageHeaders.MergeInto"/>); a refused link is logged, counted
/// and forwarded with header <see cref="StageHeaders.LinkRefused"/>, so the customer's state records it.
/// </summary>
public sealed partial class IdentityHandler(
    AvroSerde<InteractionEvent> interactions,
    CustomerMetrics metrics,
    ILogger<IdentityHandler> logger,
    Pseudonyms pseudonyms,
    string identityInput,
    string customersInput) : IStreamHandler
{
    /// <inheritdoc />
    public string Stage => WorkerTopology.IdentityStage;

    /// <inheritdoc />
    public IReadOnlyList<string> InputTopics { get; } = [identityInput];

    /// <inheritdoc />
    public IReadOnlyList<string> Stores { get; } = [WorkerTopology.LinksStore];

    /// <inheritdoc />
    public IReadOnlyList<string> DownstreamTopics { get; } = [customersInput];

    /// <inheritdoc />
    public IReadOnlyList<string> UpstreamStages { get; } = [WorkerTopology.IngestStage];

    /// <inheritdoc />
    public async ValueTask HandleAsync(ConsumeResult<byte[], byte[]> record, ITaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(task);
        if (StageHeaders.Find(record.Message.Headers, StageHeaders.Unlink) is { } erased)
        {
            Unlink(task, record.Message.Key, erased);
            return;
        }
        if (StageHeaders.Find(record.Message.Headers, StageHeaders.Outcome) is not null)
        {
            // An action sent to an id since tied to a customer: its outcome belongs to the customer.
            var id = record.Message.Key;
            Forward(task, record, Link(task, id)?.CustomerId ?? Encoding.UTF8.GetString(id), record.Message.Headers);
            return;
        }
        var interaction = await interactions.DeserializeAsync(record.Message.Value, cancellationToken).ConfigureAwait(false);
        var decision = IdentityResolver.Resolve(interaction, id => Link(task, Encoding.UTF8.GetBytes(id))?.CustomerId);
        var headers = record.Message.Headers;
        if (decision.NewLink is { } link)
        {
            task.Store(WorkerTopology.LinksStore).Put(Encoding.UTF8.GetBytes(link.Id), LinkCodec.Encode(link));
            metrics.Linked();
        }
        if (decision.Conflict is { } conflict)
        {
            metrics.Conflict();
            LogConflict(pseudonyms.Of(conflict.Id), pseudonyms.Of(conflict.OwnerId), pseudonyms.Of(conflict.RefusedCustomerId), conflict.EventId);
            headers = StageHeaders.With(headers, StageHeaders.LinkRefused, conflict.OwnerId);
        }
        Forward(task, record, decision.RouteTo, headers);
        if (decision.MergeFrom is { } mergeFrom)
        {
            Forward(task, record, mergeFrom, StageHeaders.With(record.Message.Headers, StageHeaders.MergeInto, decision.RouteTo));
        }
    }

    /// <inheritdoc />
    public ValueTask OnTickAsync(DateTime now, ITaskContext task, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public bool IsTransient(Exception exception) => RegistryUnavailableException.IsOutage(exception);

    private void Forward(ITaskContext task, ConsumeResult<byte[], byte[]> record, string key, Headers? headers) =>
        task.Send(customersInput, Rekeyed.Message(record, key, headers));

    private static void Unlink(ITaskContext task, byte[] id, string erasedCustomer)
    {
        if (Link(task, id) is { } link && link.CustomerId == erasedCustomer)
        {
            task.Store(WorkerTopology.LinksStore).Delete(id);
        }
    }

    private static IdentityLink? Link(ITaskContext task, byte[] id) =>
        task.ReadOrSetAside(WorkerTopology.LinksStore, id, LinkCodec.Decode);

    // Ids as pseudonyms (OmniStream:Audit:PseudonymKey): logs hold no personal data.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Link refused: id {Id} belongs to customer {OwnerId}, event {EventId} tied it to {RefusedCustomerId} (ids as pseudonyms)")]
    private partial void LogConflict(string id, string ownerId, string refusedCustomerId, Guid eventId);
}
