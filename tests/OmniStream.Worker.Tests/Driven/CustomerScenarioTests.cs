using System.Text;
using System.Text.Json;
using OmniStream.Schemas.Contracts;
using OmniStream.ServiceDefaults.Privacy;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests.Driven;

/// <summary>The 360° view, as the API renders it, on the stage test driver: merges, links, consents, segments.</summary>
public class CustomerScenarioTests
{
    [Test]
    public async Task A_visitor_who_fills_a_cart_on_the_website_and_logs_into_the_app_finds_the_cart_and_browsing_there()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var (visitor, anna, view) = await VisitorWithCartLogsInAsync(worker);
        var cookie = visitor.CustomerId;
        Assert.Multiple(() =>
        {
            Assert.That(view.GetProperty("cart").GetProperty("lines")[0].GetProperty("productId").GetString(), Is.EqualTo("sku-boots"));
            Assert.That(view.GetProperty("cart").GetProperty("channel").GetString(), Is.EqualTo("MOBILE_APP"));
            Assert.That(view.GetProperty("productViews")[0].GetProperty("productId").GetString(), Is.EqualTo("sku-boots"));
            Assert.That(view.GetProperty("linkedIds").EnumerateArray().Select(i => i.GetString()), Is.EqualTo(new[] { cookie }));
            Assert.That(Types(view), Is.EqualTo(new[] { "Identified", "CartUpdated", "ProductViewed" }));
        });
        Assert.That(worker.View(cookie), Is.Null, "the anonymous state moved to the customer");

        await worker.PublishAsync(visitor.After(TimeSpan.FromMinutes(1)).PageViewed(Channel.WEB, "/checkout"));
        worker.ViewWhere(anna.CustomerId, v => Types(v).Contains("PageViewed"), "a later event of the cookie in the customer's view");
    }

    [Test]
    public async Task An_event_delivered_again_after_a_restart_is_folded_once_its_customer_read_from_the_store()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var anna = new Interactions("anna");
        var first = anna.PageViewed(Channel.WEB, "/first");
        await worker.PublishAllAsync(first, anna.After(TimeSpan.FromMinutes(1)).PageViewed(Channel.WEB, "/second"));

        // The stages start again without what they held in memory: the customer is read from the store, their timeline's index from their lines' keys.
        worker.Driver.RestartAll();
        await worker.PublishAsync(first);
        await worker.PublishAsync(anna.After(TimeSpan.FromMinutes(1)).PageViewed(Channel.WEB, "/third"));

        var view = worker.ViewWhere(anna.CustomerId, v => Types(v).Count == 3, "the third page view");
        Assert.That(view.GetProperty("channels").GetProperty("WEB").GetProperty("interactions").GetInt32(), Is.EqualTo(3), "the copy of the first counted nothing");
        Assert.That(worker.State(anna.CustomerId)!.Timeline.Entries.Select(e => e.EventId).Distinct().Count(), Is.EqualTo(3));
    }

    [Test]
    public async Task A_hand_over_delivered_twice_is_merged_once()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var (visitor, anna, _) = await VisitorWithCartLogsInAsync(worker);

        // What a reader sees when the stage was killed after sending the hand-over and replayed it: a second copy.
        var customersInput = WorkerTopology.CustomersInput(DrivenWorker.ApplicationId);
        var handOver = worker.Driver.Read(customersInput).Single(r =>
            Encoding.UTF8.GetString(r.Key!) == anna.CustomerId && StageHeaders.Find(r.Headers!, StageHeaders.AbsorbFrom) == visitor.CustomerId);
        worker.Driver.Pipe(customersInput, handOver.Key, handOver.Value, handOver.Headers);
        await worker.PublishAsync(anna.After(TimeSpan.FromSeconds(1)).PageViewed(Channel.WEB, "/after"));

        var view = worker.ViewWhere(anna.CustomerId, v => Types(v).Count == 4, "the page view sent after the copy");
        Assert.That(view.GetProperty("channels").GetProperty("WEB").GetProperty("interactions").GetInt32(), Is.EqualTo(3),
            "two events as a visitor and one after: the copy of the hand-over counted nothing");
        var export = worker.Export(anna.CustomerId) ?? throw new AssertionException("no export");
        Assert.That(export.GetProperty("state").GetProperty("absorbed").EnumerateArray().Select(i => i.GetString()), Is.EqualTo(new[] { visitor.CustomerId }));
    }

    [Test]
    public async Task A_customer_who_withdrew_email_consent_still_has_a_complete_view_and_the_consent_shows()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var carla = new Interactions("carla", worker.Now);
        await worker.PublishAsync(carla.ConsentChanged(Channel.WEB, Purpose.MARKETING, Channel.EMAIL, granted: true));
        await worker.PublishAsync(carla.After(TimeSpan.FromMinutes(1)).ProductViewed(Channel.MOBILE_APP, "sku-1"));
        await worker.PublishAsync(carla.After(TimeSpan.FromMinutes(1)).ConsentChanged(Channel.EMAIL, Purpose.MARKETING, Channel.EMAIL, granted: false));
        await worker.PublishAsync(carla.After(TimeSpan.FromMinutes(1)).StoreVisited());

        var view = worker.ViewWhere(carla.CustomerId, v => v.GetProperty("timeline").GetArrayLength() == 4, "all four interactions");

        var consent = view.GetProperty("consents").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(consent.GetProperty("purpose").GetString(), Is.EqualTo("MARKETING"));
            Assert.That(consent.GetProperty("channel").GetString(), Is.EqualTo("EMAIL"));
            Assert.That(consent.GetProperty("granted").GetBoolean(), Is.False);
            Assert.That(view.GetProperty("productViews").GetArrayLength(), Is.EqualTo(1));
            Assert.That(view.GetProperty("channels").EnumerateObject().Select(c => c.Name), Is.EquivalentTo(new[] { "WEB", "MOBILE_APP", "EMAIL", "STORE" }));
        });
    }

    [Test]
    public async Task A_link_to_an_id_that_belongs_to_another_customer_is_refused_and_recorded()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        const string Device = "device-1";
        var owner = new Interactions("owner-dora", worker.Now);
        var intruder = new Interactions("intruder-eve", worker.Now.AddSeconds(10));
        await worker.PublishAsync(owner.Identified(Channel.IOT, Device, "device_pairing"));
        worker.ViewWhere(owner.CustomerId, v => v.GetProperty("linkedIds").GetArrayLength() == 1, "the first link");

        await worker.PublishAsync(intruder.Identified(Channel.WEB, Device, "login"));

        var refused = worker.ViewWhere(intruder.CustomerId, v => v.GetProperty("refusedLinks").GetArrayLength() == 1, "the refused link");
        Assert.That(refused.GetProperty("refusedLinks")[0].GetProperty("ownerId").GetString(), Is.EqualTo(owner.CustomerId));
        Assert.That(refused.GetProperty("linkedIds").GetArrayLength(), Is.Zero);
        Assert.That(worker.View(owner.CustomerId)?.GetProperty("linkedIds")[0].GetString(), Is.EqualTo(Device));
        var pseudonyms = new Pseudonyms(Convert.FromBase64String(TestCredentials.PseudonymKey));
        var logged = worker.Logs.Messages.Single(m => m.Contains("Link refused", StringComparison.Ordinal));
        Assert.That(logged, Does.Contain(pseudonyms.Of(owner.CustomerId)).And.Contain(pseudonyms.Of(intruder.CustomerId)).And.Contain(pseudonyms.Of(Device)),
            "the ids by their keyed pseudonyms");
        Assert.That(logged, Does.Not.Contain(owner.CustomerId).And.Not.Contain(intruder.CustomerId).And.Not.Contain(Device));
    }

    [Test]
    public async Task A_detractor_enters_the_segment_and_the_change_is_written_downstream()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var gina = new Interactions("gina", worker.Now);

        await worker.PublishAsync(gina.SurveyAnswered(Channel.EMAIL, nps: 3, ces: 6));

        var view = worker.ViewWhere(gina.CustomerId, v => v.GetProperty("segments").GetArrayLength() > 0, "the segment in the view");
        Assert.That(view.GetProperty("segments").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "detractor" }));
        var change = worker.SegmentChangesFor(gina.CustomerId).Single();
        Assert.That((change.segment, change.entered, change.rule), Is.EqualTo(("detractor", true, "last_nps <= 6")));
    }

    [Test]
    public async Task A_customer_who_goes_silent_enters_the_at_risk_segment_when_the_days_pass_without_any_event()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        // Three orders, the last one 61 days ago less 3 seconds: "more than 60 days" holds 3 seconds from now.
        var hana = new Interactions("hana", worker.Now.AddDays(-70));
        await worker.PublishAsync(hana.OrderPlaced(Channel.WEB, 40m));
        await worker.PublishAsync(hana.After(TimeSpan.FromDays(5)).OrderPlaced(Channel.STORE, 30m));
        await worker.PublishAsync(hana.After(worker.Now.AddDays(-61).AddSeconds(3) - hana.Now).OrderPlaced(Channel.WEB, 20m));
        var before = worker.ViewWhere(hana.CustomerId, v => v.GetProperty("orders").GetProperty("ordersLifetime").GetInt32() == 3, "the three orders");
        Assert.That(before.GetProperty("segments").EnumerateArray().Select(s => s.GetString()), Does.Not.Contain("at_risk"), "60 whole days only");
        Assert.That(worker.SegmentChangesFor(hana.CustomerId), Is.Empty);

        await worker.AdvanceAsync(TimeSpan.FromSeconds(4), step: TimeSpan.FromSeconds(1));

        var change = worker.SegmentChangesFor(hana.CustomerId).Single();
        Assert.That((change.segment, change.entered), Is.EqualTo(("at_risk", true)));
        Assert.That(change.at, Is.GreaterThanOrEqualTo(hana.Now.AddDays(61)), "entered when the days had passed, not at an event");
        var after = worker.ViewWhere(hana.CustomerId, v => v.GetProperty("segments").GetArrayLength() > 0, "the segment in the view");
        Assert.That(after.GetProperty("segments").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "at_risk" }));
        Assert.That(after.GetProperty("segmentsSince").GetProperty("at_risk").GetDateTime(), Is.EqualTo(change.at), "since the entry");

        // Kept in the store: a stage restored from its changelogs still knows since when.
        worker.Driver.RestartAll();
        await worker.Driver.RunAsync();
        Assert.That(worker.View(hana.CustomerId)!.Value.GetProperty("segmentsSince").GetProperty("at_risk").GetDateTime(), Is.EqualTo(change.at));
        Assert.That(worker.Export(hana.CustomerId)!.Value.GetProperty("segmentsSince").GetProperty("at_risk").GetDateTime(), Is.EqualTo(change.at),
            "in what the right of access exports");

        // An order takes her out of the segment, and out of its time.
        await worker.PublishAsync(new Interactions("hana", worker.Now).OrderPlaced(Channel.WEB, 15m));
        var back = worker.ViewWhere(hana.CustomerId, v => v.GetProperty("segments").GetArrayLength() == 0, "out of at_risk");
        Assert.That(back.GetProperty("segmentsSince").EnumerateObject(), Is.Empty);
    }

    // A visitor views boots and puts them in a cart on the website, then logs into the app: the customer's view once it shows the cart.
    private static async Task<(Interactions Visitor, Interactions Customer, JsonElement View)> VisitorWithCartLogsInAsync(DrivenWorker worker)
    {
        var visitor = Interactions.Anonymous("cookie-1", worker.Now);
        await worker.PublishAsync(visitor.ProductViewed(Channel.WEB, "sku-boots"));
        await worker.PublishAsync(visitor.After(TimeSpan.FromSeconds(1)).CartUpdated(Channel.WEB, ("sku-boots", 1, 89.90m)));
        worker.ViewWhere(visitor.CustomerId, v => v.GetProperty("cart").ValueKind == JsonValueKind.Object, "the anonymous cart");
        var customer = new Interactions("anna", visitor.Now.AddSeconds(30));

        await worker.PublishAsync(customer.Identified(Channel.MOBILE_APP, visitor.CustomerId));

        var view = worker.ViewWhere(customer.CustomerId, v => v.GetProperty("cart").ValueKind == JsonValueKind.Object, "the cart in the customer's view");
        return (visitor, customer, view);
    }

    private static List<string?> Types(JsonElement view) =>
        view.GetProperty("timeline").EnumerateArray().Select(i => i.GetProperty("type").GetString()).ToList();
}
