using System.Text;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests.Driven;

/// <summary>Which events skip stage identity: those that name their customer and tie no id to them.</summary>
public class IngestRoutingTests
{
    [Test]
    public async Task An_event_that_names_its_customer_goes_from_ingest_straight_to_customers_and_an_anonymous_one_through_identity()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var anna = new Interactions("anna", worker.Now);
        var visitor = Interactions.Anonymous("cookie-1", worker.Now);

        await worker.PublishAllAsync(anna.PageViewed(Channel.WEB), visitor.PageViewed(Channel.WEB));

        worker.ViewWhere(anna.CustomerId, v => v.GetProperty("timeline").GetArrayLength() == 1, "Anna's page view");
        worker.ViewWhere(visitor.CustomerId, v => v.GetProperty("timeline").GetArrayLength() == 1, "the visitor's page view");
        var toIdentity = Keys(worker, WorkerTopology.IdentityInput(DrivenWorker.ApplicationId));
        var toCustomers = Keys(worker, WorkerTopology.CustomersInput(DrivenWorker.ApplicationId));
        Assert.That(toIdentity, Does.Not.Contain(anna.CustomerId).And.Contains(visitor.CustomerId));
        Assert.That(toCustomers.Count(key => key == anna.CustomerId), Is.EqualTo(1), "once, straight from ingest");
        Assert.That(toCustomers.Count(key => key == visitor.CustomerId), Is.EqualTo(1), "once, from identity");
    }

    private static List<string> Keys(DrivenWorker worker, string topic) =>
        [.. worker.Driver.Read(topic).Where(r => r.Key is { Length: > 0 }).Select(r => Encoding.UTF8.GetString(r.Key!))];
}
