using System.Text;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;

namespace OmniStream.Worker.Tests;

/// <summary>What the customers stage writes to <c>omni.customer-profiles</c>: the last profile of each customer changed within a commit, once.</summary>
public class ProfilePublishingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_customer_changed_five_times_within_one_commit_has_one_profile_published_the_last()
    {
        // Commits 2 s apart: the five events, sent in one batch, are read and committed together.
        await using var worker = await WorkerHarness.StartAsync(TimeSpan.FromMinutes(30), KafkaFixture.Cluster, "profiles-" + Guid.NewGuid().ToString("N")[..8],
            Path.Combine(Path.GetTempPath(), "omnistream-profiles-test-" + Guid.NewGuid().ToString("N")),
            settings: new Dictionary<string, string> { ["OmniStream:Stream:CommitInterval"] = "00:00:02" });
        var customer = new Interactions(WorkerHarness.Unique("profiled"), DateTime.UtcNow);
        var events = Enumerable.Range(1, 5).Select(i => customer.After(TimeSpan.FromSeconds(i)).PageViewed(Channel.WEB, $"/page-{i}")).ToList();

        await Task.WhenAll(events.Select(e => worker.Publisher.PublishAsync(e)));
        await worker.Api.ViewWhenAsync(customer.CustomerId, view => view.GetProperty("timeline").GetArrayLength() == 5, Deadline, "the five events, committed");

        var key = Encoding.UTF8.GetBytes(customer.CustomerId);
        var profiles = TopicSnapshot.Read(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.CustomerProfiles.Name], Deadline)
            .Where(r => r.Message.Key.SequenceEqual(key)).ToList();
        Assert.That(profiles, Has.Count.EqualTo(1), "one profile for the commit, not one per change");
        var profile = await new AvroSerde<CustomerProfile>(SchemaCatalog.Default).DeserializeAsync(profiles[0].Message.Value!);
        Assert.That(profile.updatedAt, Is.EqualTo(events.Max(e => e.occurredAt)).Within(TimeSpan.FromMilliseconds(1)), "the last state's profile");
    }
}
