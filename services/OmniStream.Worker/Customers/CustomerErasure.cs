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
/// stage <c>identity</c> so that its later events start afresh, an <see cref="ErasureMarks">erasure
/// mark</see> drops what arrives late for the customer, and an <see cref="ErasureNotice"/> tells
/// downstream systems to erase the customer too.
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
        CustomerSteps.Remove(task, key, state, time.GetUtcNow().UtcDateTime);
        task.Erased.Mark(key, request.occurredAt);
        foreach (var id in linked)
        {
            Unlink(task, id, customer, requestBytes);
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

    /// <summary>
    /// Drops <paramref name="late"/>, an event of the erased customer <paramref name="key"/> that occurred before the erasure
    /// (its bytes: <paramref name="lateBytes"/>), and unlinks the id it tied to the customer, if it tied one.
    /// </summary>
    public void DropLate(CustomerTask task, byte[] key, InteractionEvent late, byte[] lateBytes)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(late);
        if (late.payload is Identified identified)
        {
            Unlink(task, identified.anonymousId, Encoding.UTF8.GetString(key), lateBytes);
        }
        metrics.DroppedAfterErasure("event");
    }

    // Stage identity removes the id's link if it still ties the id to the customer.
    private void Unlink(CustomerTask task, string id, string customer, byte[] value) =>
        task.Context.Send(identityInput, new Message<byte[], byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(id),
            Value = value,
            Headers = StageHeaders.With(null, StageHeaders.Unlink, customer),
        });
}
