using System.Text;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

/// <summary>Which events skip stage identity: those that name their customer and tie no id to them.</summary>
public class IngestRoutingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task An_event_that_names_its_customer_goes_from_ingest_straight_to_customers_and_an_anonymous_one_through_identity()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMinutes(30));
        var anna = new Interactions(WorkerHarness.Unique("anna"), DateTime.UtcNow);
        var visitor = Interactions.Anonymous(WorkerHarness.Unique("cookie"), DateTime.UtcNow);

        await worker.Publisher.PublishAsync(anna.PageViewed(Channel.WEB));
        await worker.Publisher.PublishAsync(visitor.PageViewed(Channel.WEB));
        await worker.Api.ViewWhenAsync(anna.CustomerId, v => v.GetProperty("timeline").GetArrayLength() == 1, Deadline, "Anna's page view");
        await worker.Api.ViewWhenAsync(visitor.CustomerId, v => v.GetProperty("timeline").GetArrayLength() == 1, Deadline, "the visitor's page view");

        using var identityInput = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [WorkerTopology.IdentityInput(worker.ApplicationId)]);
        using var customersInput = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [WorkerTopology.CustomersInput(worker.ApplicationId)]);
        var toIdentity = (await identityInput.ReadToEndAsync(Deadline)).Select(r => Encoding.UTF8.GetString(r.Message.Key)).ToList();
        var toCustomers = (await customersInput.ReadToEndAsync(Deadline)).Select(r => Encoding.UTF8.GetString(r.Message.Key)).ToList();

        Assert.That(toIdentity, Does.Not.Contain(anna.CustomerId).And.Contains(visitor.CustomerId));
        Assert.That(toCustomers.Count(key => key == anna.CustomerId), Is.EqualTo(1), "once, straight from ingest");
        Assert.That(toCustomers.Count(key => key == visitor.CustomerId), Is.EqualTo(1), "once, from identity");
    }
}
