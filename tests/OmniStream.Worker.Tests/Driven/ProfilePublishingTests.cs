using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;

namespace OmniStream.Worker.Tests.Driven;

/// <summary>What the customers stage writes to <c>omni.customer-profiles</c>: the last profile of each customer changed within a commit, once.</summary>
public class ProfilePublishingTests
{
    [Test]
    public async Task A_customer_changed_five_times_within_one_commit_has_one_profile_published_the_last()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var customer = new Interactions("profiled", worker.Now);
        var events = Enumerable.Range(1, 5).Select(i => customer.After(TimeSpan.FromSeconds(i)).PageViewed(Channel.WEB, $"/page-{i}")).ToArray();

        await worker.PublishAllAsync(events);
        worker.ViewWhere(customer.CustomerId, view => view.GetProperty("timeline").GetArrayLength() == 5, "the five events, committed");

        var profiles = worker.ValuesFor(TopicCatalog.CustomerProfiles.Name, customer.CustomerId);
        Assert.That(profiles, Has.Count.EqualTo(1), "one profile for the commit, not one per change");
        var profile = await new AvroSerde<CustomerProfile>(SchemaCatalog.Default).DeserializeAsync(profiles[0]!);
        Assert.That(profile.updatedAt, Is.EqualTo(events.Max(e => e.occurredAt)).Within(TimeSpan.FromMilliseconds(1)), "the last state's profile");
    }

    [Test]
    public async Task A_customer_whose_profile_did_not_change_has_none_published_again()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var customer = new Interactions("profiled", worker.Now);
        await worker.PublishAsync(customer.ProfileUpdated(Channel.WEB, "email", "ann@example.org"));
        var first = worker.ValuesFor(TopicCatalog.CustomerProfiles.Name, customer.CustomerId).Count;

        // A page seen on the channel the customer already uses most and last: nothing the profile shows changes.
        await worker.PublishAsync(customer.After(TimeSpan.FromSeconds(1)).PageViewed(Channel.WEB));

        Assert.That(first, Is.EqualTo(1));
        Assert.That(worker.ValuesFor(TopicCatalog.CustomerProfiles.Name, customer.CustomerId), Has.Count.EqualTo(first), "an unchanged profile is not sent again");
    }
}
