using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Streaming.Queries;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

public class StoreQueryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_customers_state_is_read_from_the_worker_that_owns_it()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMinutes(30));
        var queries = worker.Services.GetRequiredService<StoreQueries>();
        var anna = new Interactions("anna-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        var key = Encoding.UTF8.GetBytes(anna.CustomerId);

        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.MOBILE_APP, ("sku-9", 3, 5m)));
        CustomerState? state = null;
        await Wait.UntilAsync(() =>
        {
            if (!queries.TryGetLocalWithParts(WorkerTopology.CustomersStage, WorkerTopology.CustomersStore, key, out var core, out var parts))
            {
                return false;
            }
            state = StoredCustomers.Read(key, core, parts);
            return state is not null;
        }, Deadline, "the committed state");
        await Wait.UntilAsync(() => queries.Locate(WorkerTopology.CustomersStage, key).IsLocal, Deadline, "the directory naming this instance");

        Assert.That(Encoding.UTF8.GetString(CustomerStateCodec.ToJson(state!)), Does.Contain(anna.CustomerId).And.Contain("sku-9").And.Contain("MOBILE_APP"));
        Assert.That(queries.Locate(WorkerTopology.CustomersStage, key).Partition.Topic, Is.EqualTo(WorkerTopology.CustomersInput(worker.ApplicationId)));
    }
}
