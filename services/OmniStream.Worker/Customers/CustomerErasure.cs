using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Worker.Telemetry;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>
/// Erases a customer (RGPD right to erasure): the state, timers and profile go (tombstones in the
/// changelogs and in <c>omni.customer-profiles</c>), every id linked to the customer is unlinked in
/// stage <c>identity</c> so that its later events start afresh, and an <see cref="ErasureNotice"/>
/// tells downstream systems to erase the customer too.
/// </summary>
public sealed class CustomerErasure(AvroSerde<ErasureNotice> notices, CustomerMetrics metrics, TimeProvider time, string identityInput)
{
    private static readonly string NoticeTopic = TopicCatalog.ErasureNotices.Name;

    /// <summary>Erases the customer <paramref name="key"/>; <paramref name="request"/> is the erasure event, <paramref name="requestBytes"/> its bytes.</summary>
    public async ValueTask EraseAsync(CustomerTask task, byte[] key, byte[] requestBytes, InteractionEvent request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        var customer = Encoding.UTF8.GetString(key);
        var state = task.Customers.Load(key);
        var linked = state?.LinkedIds.ToList() ?? [];
        CustomerSteps.Remove(task, key, state);
        foreach (var id in linked)
        {
            task.Context.Send(identityInput, new Message<byte[], byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(id),
                Value = requestBytes,
                Headers = StageHeaders.With(null, StageHeaders.Unlink, customer),
            });
        }
        var notice = new ErasureNotice
        {
            customerId = customer,
            erasedIds = linked,
            requestId = (request.payload as ErasureRequested)?.requestId ?? request.eventId.ToString(),
            requestedAt = request.occurredAt,
            erasedAt = time.GetUtcNow().UtcDateTime,
        };
        task.Context.Send(NoticeTopic, key, await notices.SerializeAsync(notice, NoticeTopic, cancellationToken).ConfigureAwait(false));
        metrics.Erased();
    }
}
