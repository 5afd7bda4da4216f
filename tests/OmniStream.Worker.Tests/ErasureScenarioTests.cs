using System.Net;
using System.Text;
using System.Text.Json;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.State;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

/// <summary>The right to erasure through the real worker: API, stores, changelogs, profiles, notices.</summary>
public class ErasureScenarioTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task An_erased_customer_is_gone_from_the_api_the_changelogs_and_the_profiles_and_a_later_event_starts_afresh()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMinutes(30));
        var cookie = "cookie-" + Guid.NewGuid().ToString("N")[..8];
        var visitor = Interactions.Anonymous(cookie, DateTime.UtcNow);
        var fred = new Interactions("fred-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow.AddSeconds(5));
        await worker.Publisher.PublishAsync(visitor.ProductViewed(Channel.WEB, "sku-secret"));
        await worker.Publisher.PublishAsync(fred.Identified(Channel.WEB, cookie));
        await worker.Publisher.PublishAsync(fred.After(TimeSpan.FromSeconds(1)).ProfileUpdated(Channel.WEB, "email", "fred@example.org"));
        await worker.Api.ViewWhenAsync(fred.CustomerId, v => v.GetProperty("productViews").GetArrayLength() == 1 && v.GetProperty("profile").TryGetProperty("email", out _),
            Deadline, "the merged view");
        var export = await worker.Api.GetAsync($"/privacy/export/{fred.CustomerId}");
        Assert.That(export.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(export.Body.GetRawText(), Does.Contain("fred@example.org").And.Contain("sku-secret").And.Contain(cookie), "the export holds everything");

        var accepted = await worker.Api.PostAsync($"/privacy/erasure/{fred.CustomerId}");

        Assert.That(accepted.Status, Is.EqualTo(HttpStatusCode.Accepted));
        await OmniStream.Testing.Wait.UntilAsync(async () => (await worker.Api.GetAsync($"/customers/{fred.CustomerId}")).Status == HttpStatusCode.NotFound,
            Deadline, "the API to answer 404");
        var key = Encoding.UTF8.GetBytes(fred.CustomerId);
        var cookieLinks = ChangelogTopics.For(worker.ApplicationId, WorkerTopology.LinksStore);
        await OmniStream.Testing.Wait.UntilAsync(() => LastValueOf(cookieLinks, Encoding.UTF8.GetBytes(cookie)) is (true, null), Deadline, "the cookie's link to be removed");
        Assert.Multiple(() =>
        {
            foreach (var topic in new[] { ChangelogTopics.For(worker.ApplicationId, WorkerTopology.CustomersStore), TopicCatalog.CustomerProfiles.Name })
            {
                var last = LastValueOf(topic, key);
                Assert.That(last.Found, Is.True, $"{topic} has records for the customer");
                Assert.That(last.Value, Is.Null, $"{topic} ends with a tombstone for the customer");
            }
        });
        var notice = TopicSnapshot.Read(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.ErasureNotices.Name], Deadline)
            .Where(r => r.Message.Key.SequenceEqual(key)).Select(r => Notices.DeserializeAsync(r.Message.Value!).AsTask().Result).Single();
        Assert.That(notice.requestId, Is.EqualTo(accepted.Body.GetProperty("requestId").GetString()));
        Assert.That(notice.erasedIds, Is.EqualTo(new[] { cookie }));

        await worker.Publisher.PublishAsync(fred.After(TimeSpan.FromMinutes(1)).PageViewed(Channel.MOBILE_APP, "/welcome-back"));
        await worker.Publisher.PublishAsync(visitor.After(TimeSpan.FromMinutes(1)).PageViewed(Channel.WEB, "/cookie-again"));
        var fresh = await worker.Api.ViewWhenAsync(fred.CustomerId, _ => true, Deadline, "the customer starting afresh");
        var cookieView = await worker.Api.ViewWhenAsync(cookie, _ => true, Deadline, "the cookie on its own");
        Assert.Multiple(() =>
        {
            Assert.That(fresh.GetProperty("timeline").GetArrayLength(), Is.EqualTo(1));
            Assert.That(fresh.GetProperty("profile").EnumerateObject(), Is.Empty);
            Assert.That(fresh.GetProperty("linkedIds").GetArrayLength(), Is.Zero);
            Assert.That(fresh.GetProperty("productViews").GetArrayLength(), Is.Zero);
            Assert.That(cookieView.GetProperty("timeline").GetArrayLength(), Is.EqualTo(1), "the cookie is no longer routed to the erased customer");
        });
    }

    private static readonly AvroSerde<ErasureNotice> Notices = new(SchemaCatalog.Default);

    private static (bool Found, byte[]? Value) LastValueOf(string topic, byte[] key)
    {
        var records = TopicSnapshot.Read(KafkaFixture.Cluster.BootstrapServers, [topic], Deadline).Where(r => r.Message.Key.SequenceEqual(key)).ToList();
        return records.Count == 0 ? (false, null) : (true, records[^1].Message.Value);
    }
}
