using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Streaming.State;
using OmniStream.Testing.Contracts;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests.Driven;

/// <summary>The right to erasure on the stage test driver: the view, the stores' changelogs, the profiles, the notice, and a fresh start.</summary>
public class ErasureScenarioTests
{
    [Test]
    public async Task An_erased_customer_is_gone_from_the_view_the_changelogs_and_the_profiles_and_a_later_event_starts_afresh()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        const string Cookie = "cookie-1";
        var visitor = Interactions.Anonymous(Cookie, worker.Now);
        var fred = new Interactions("fred", worker.Now.AddSeconds(5));
        await worker.PublishAsync(visitor.ProductViewed(Channel.WEB, "sku-secret"));
        await worker.PublishAsync(fred.Identified(Channel.WEB, Cookie));
        await worker.PublishAsync(fred.After(TimeSpan.FromSeconds(1)).ProfileUpdated(Channel.WEB, "email", "fred@example.org"));
        worker.ViewWhere(fred.CustomerId, v => v.GetProperty("productViews").GetArrayLength() == 1 && v.GetProperty("profile").TryGetProperty("email", out _), "the merged view");
        Assert.That(worker.Export(fred.CustomerId)?.GetRawText(), Does.Contain("fred@example.org").And.Contain("sku-secret").And.Contain(Cookie), "the export holds everything");

        var request = fred.After(TimeSpan.FromSeconds(1)).ErasureRequested(Channel.WEB);
        await worker.RequestErasureAsync(request);

        Assert.That(worker.View(fred.CustomerId), Is.Null, "the API answers 404");
        Assert.That(worker.ValuesFor(ChangelogTopics.For(DrivenWorker.ApplicationId, WorkerTopology.LinksStore), Cookie)[^1], Is.Null, "the cookie's link removed");
        Assert.Multiple(() =>
        {
            foreach (var topic in new[] { ChangelogTopics.For(DrivenWorker.ApplicationId, WorkerTopology.CustomersStore), TopicCatalog.CustomerProfiles.Name })
            {
                var values = worker.ValuesFor(topic, fred.CustomerId);
                Assert.That(values, Is.Not.Empty, $"{topic} has records for the customer");
                Assert.That(values[^1], Is.Null, $"{topic} ends with a tombstone for the customer");
            }
        });
        var notice = worker.NoticesFor(fred.CustomerId).Single();
        Assert.That(notice.requestId, Is.EqualTo(((ErasureRequested)request.payload).requestId));
        Assert.That(notice.erasedIds, Is.EqualTo(new[] { Cookie }));

        await worker.PublishAsync(fred.After(TimeSpan.FromMinutes(1)).PageViewed(Channel.MOBILE_APP, "/welcome-back"));
        await worker.PublishAsync(visitor.After(TimeSpan.FromMinutes(1)).PageViewed(Channel.WEB, "/cookie-again"));
        var fresh = worker.ViewWhere(fred.CustomerId, _ => true, "the customer starting afresh");
        var cookieView = worker.ViewWhere(Cookie, _ => true, "the cookie on its own");
        Assert.Multiple(() =>
        {
            Assert.That(fresh.GetProperty("timeline").GetArrayLength(), Is.EqualTo(1));
            Assert.That(fresh.GetProperty("profile").EnumerateObject(), Is.Empty);
            Assert.That(fresh.GetProperty("linkedIds").GetArrayLength(), Is.Zero);
            Assert.That(fresh.GetProperty("productViews").GetArrayLength(), Is.Zero);
            Assert.That(cookieView.GetProperty("timeline").GetArrayLength(), Is.EqualTo(1), "the cookie is no longer routed to the erased customer");
        });
    }

    [Test]
    public async Task An_event_published_before_an_erasure_and_delivered_after_it_brings_back_neither_the_customer_nor_a_link_and_the_mark_expires()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        const string Cookie = "cookie-late";
        var visitor = Interactions.Anonymous(Cookie, worker.Now);
        var gina = new Interactions("gina", worker.Now.AddSeconds(5));
        await worker.PublishAsync(visitor.ProductViewed(Channel.WEB, "sku-private"));
        await worker.PublishAsync(gina.ProfileUpdated(Channel.WEB, "email", "gina@example.org"));
        worker.ViewWhere(gina.CustomerId, _ => true, "the customer's view");

        // Published before the erasure, delivered after it (a slow backend, a retry).
        var identified = gina.After(TimeSpan.FromSeconds(1)).Identified(Channel.WEB, Cookie);
        await worker.RequestErasureAsync(gina.After(TimeSpan.FromSeconds(1)).ErasureRequested(Channel.WEB));
        await worker.PublishAsync(identified);

        var links = ChangelogTopics.For(DrivenWorker.ApplicationId, WorkerTopology.LinksStore);
        Assert.Multiple(() =>
        {
            Assert.That(worker.View(gina.CustomerId), Is.Null, "the customer is not brought back");
            Assert.That(worker.View(Cookie), Is.Null, "the cookie's history, hers, went with her");
            Assert.That(worker.ValuesFor(links, Cookie), Is.Not.Empty.And.Property("Count").GreaterThan(0));
            Assert.That(worker.ValuesFor(links, Cookie)[^1], Is.Null, "the link the late event made is removed");
        });
        await worker.PublishAsync(visitor.After(TimeSpan.FromMinutes(1)).PageViewed(Channel.WEB, "/later"));
        Assert.That(worker.ViewWhere(Cookie, _ => true, "the cookie on its own").GetProperty("timeline").GetArrayLength(), Is.EqualTo(1));

        // The mark lasts the lateness window (7 days), then goes.
        var customers = ChangelogTopics.For(DrivenWorker.ApplicationId, WorkerTopology.CustomersStore);
        byte[] mark = [0xFF, .. System.Text.Encoding.UTF8.GetBytes(gina.CustomerId)];
        List<byte[]?> MarkValues() => [.. worker.Driver.Read(customers).Where(r => r.Key is not null && r.Key.AsSpan().SequenceEqual(mark)).Select(r => r.Value)];
        Assert.That(MarkValues(), Has.Count.EqualTo(1).And.None.Null, "the mark, written once");
        await worker.AdvanceAsync(TimeSpan.FromDays(8), TimeSpan.FromHours(6));
        // A timer's store changes go with the partition's next transaction: her return, say.
        await worker.PublishAsync(gina.After(TimeSpan.FromDays(8)).PageViewed(Channel.WEB, "/back"));
        Assert.That(MarkValues()[^1], Is.Null, "the mark removed after the lateness window");
        Assert.That(worker.ViewWhere(gina.CustomerId, _ => true, "her fresh start").GetProperty("timeline").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task An_erasure_mark_read_back_after_a_restart_still_drops_an_event_from_before_the_erasure()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var (hugo, late) = await ErasedWithALateEventAsync(worker, "hugo");

        worker.Driver.RestartAll();
        await worker.PublishAsync(late);
        await worker.PublishAsync(hugo.After(TimeSpan.FromSeconds(3)).PageViewed(Channel.WEB, "/after"));

        var timeline = worker.ViewWhere(hugo.CustomerId, _ => true, "his fresh start").GetProperty("timeline").EnumerateArray()
            .Select(line => line.ToString()).ToList();
        Assert.That(timeline, Has.Count.EqualTo(1), "only the event after the erasure");
        Assert.That(timeline[0], Does.Contain("/after"));
    }

    [Test]
    public async Task An_event_whose_customer_id_is_no_utf8_text_is_set_aside_and_cannot_take_the_place_of_an_erasure_mark()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var (ines, late) = await ErasedWithALateEventAsync(worker, "ines");

        // A producer that bypasses the SDK writes the mark's key as a customer id: 0xFF, then "ines".
        var forged = new Interactions("~ines", worker.Now.AddSeconds(3)).PageViewed(Channel.WEB, "/forged");
        var topic = TopicCatalog.Interactions(Channel.WEB).Name;
        var value = await new OmniStream.Schemas.Wire.AvroSerde<InteractionEvent>(OmniStream.Schemas.Catalog.SchemaCatalog.Default).SerializeAsync(forged, topic);
        var at = value.AsSpan().IndexOf("~ines"u8);
        Assert.That(at, Is.GreaterThan(0), "the id's bytes in the record");
        value[at] = 0xFF;
        byte[] markKey = [0xFF, .. "ines"u8];
        worker.Driver.Pipe(topic, markKey, value);
        await worker.Driver.RunAsync();
        await worker.PublishAsync(late);

        var letters = worker.Driver.Read("omni.deadletter");
        Assert.That(letters, Has.Count.EqualTo(1));
        Assert.That(System.Text.Encoding.UTF8.GetString(letters[0].Headers!.GetLastBytes(OmniStream.Kafka.Operations.DeadLetters.DeadLetterHeaders.ErrorMessage)),
            Does.Contain("InteractionEvent.subject.customerId is not UTF-8 text"));
        Assert.That(letters[0].Value, Is.EqualTo(value), "set aside untouched");
        Assert.That(worker.View(ines.CustomerId), Is.Null, "the mark still drops her late event");
    }

    // A customer who browsed and was then erased, and an event of theirs from before the erasure, not delivered yet.
    private static async Task<(Interactions Customer, InteractionEvent Late)> ErasedWithALateEventAsync(DrivenWorker worker, string customerId)
    {
        var customer = new Interactions(customerId, worker.Now);
        await worker.PublishAsync(customer.PageViewed(Channel.WEB, "/shoes"));
        var late = customer.After(TimeSpan.FromSeconds(1)).PageViewed(Channel.WEB, "/late");
        await worker.RequestErasureAsync(customer.After(TimeSpan.FromSeconds(2)).ErasureRequested(Channel.WEB));
        return (customer, late);
    }
}
