using System.Text;
using Confluent.Kafka;
using OmniStream.Streaming.Tasks;
using OmniStream.Worker.Telemetry;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>
/// Erases a customer (RGPD right to erasure): the state and timers leave the stores (tombstones in
/// their changelogs), and every id linked to the customer is unlinked in stage <c>identity</c>, so
/// later events of those ids start afresh.
/// </summary>
public sealed class CustomerErasure(CustomerMetrics metrics, string identityInput)
{
    /// <summary>Erases the customer <paramref name="key"/>; <paramref name="request"/> is the erasure event's bytes.</summary>
    public void Erase(ITaskContext task, CustomerStore store, byte[] key, byte[] request)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(store);
        var customer = Encoding.UTF8.GetString(key);
        var state = store.Load(key);
        store.Delete(key);
        foreach (var id in state?.LinkedIds ?? [])
        {
            task.Send(identityInput, new Message<byte[], byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(id),
                Value = request,
                Headers = StageHeaders.With(null, StageHeaders.Unlink, customer),
            });
        }
        metrics.Erased();
    }
}
