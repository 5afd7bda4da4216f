using Confluent.Kafka;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Contracts;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

/// <summary>The 360° view through the real worker and its HTTP API, on the test cluster.</summary>
public class CustomerScenarioTests : SharedWorkerTests
{
    [Test]
    public async Task A_visitor_who_fills_a_cart_on_the_website_and_logs_into_the_app_finds_the_cart_and_browsing_there()
    {
        var (visitor, anna, view) = await VisitorWithCartLogsInAsync();
        var cookie = visitor.CustomerId;
        Assert.Multiple(() =>
        {
            Assert.That(view.GetProperty("cart").GetProperty("lines")[0].GetProperty("productId").GetString(), Is.EqualTo("sku-boots"));
            Assert.That(view.GetProperty("cart").GetProperty("channel").GetString(), Is.EqualTo("MOBILE_APP"));
            Assert.That(view.GetProperty("productViews")[0].GetProperty("productId").GetString(), Is.EqualTo("sku-boots"));
            Assert.That(view.GetProperty("linkedIds").EnumerateArray().Select(i => i.GetString()), Is.EqualTo(new[] { cookie }));
            Assert.That(Types(view), Is.EqualTo(new[] { "Identified", "CartUpdated", "ProductViewed" }));
        });
        Assert.That((await Worker.Api.GetAsync($"/customers/{cookie}")).Status, Is.EqualTo(HttpStatusCode.NotFound), "the anonymous state moved to the customer");

        await Worker.Publisher.PublishAsync(visitor.After(TimeSpan.FromMinutes(1)).PageViewed(Channel.WEB, "/checkout"));
        await Worker.Api.ViewWhenAsync(anna.CustomerId, v => Types(v).Contains("PageViewed"), Deadline, "a later event of the cookie in the customer's view");
    }

    [Test]
    public async Task A_hand_over_delivered_twice_is_merged_once()
    {
        var (visitor, anna, _) = await VisitorWithCartLogsInAsync();

        // What a reader sees when the stage was killed after sending the hand-over and replayed it: a second copy.
        using (var customersInput = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [WorkerTopology.CustomersInput(Worker.ApplicationId)]))
        {
            var handOver = (await customersInput.ReadToEndAsync(Deadline)).Single(r =>
                Encoding.UTF8.GetString(r.Message.Key) == anna.CustomerId && StageHeaders.Find(r.Message.Headers, StageHeaders.AbsorbFrom) == visitor.CustomerId);
            using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build();
            await producer.ProduceAsync(handOver.TopicPartition, new Message<byte[], byte[]> { Key = handOver.Message.Key, Value = handOver.Message.Value, Headers = handOver.Message.Headers });
        }
        await Worker.Publisher.PublishAsync(anna.After(TimeSpan.FromSeconds(1)).PageViewed(Channel.WEB, "/after"));

        var view = await Worker.Api.ViewWhenAsync(anna.CustomerId, v => Types(v).Count == 4, Deadline, "the page view sent after the copy");
        Assert.That(view.GetProperty("channels").GetProperty("WEB").GetProperty("interactions").GetInt32(), Is.EqualTo(3),
            "two events as a visitor and one after: the copy of the hand-over counted nothing");
        var export = await Worker.Api.GetAsync($"/privacy/export/{anna.CustomerId}");
        Assert.That(export.Body.GetProperty("state").GetProperty("absorbed").EnumerateArray().Select(i => i.GetString()), Is.EqualTo(new[] { visitor.CustomerId }));
    }

    [Test]
    public async Task A_purchase_in_a_store_shows_in_the_view_the_call_center_reads()
    {
        var bob = new Interactions(Unique("bob"), DateTime.UtcNow);
        await Worker.Publisher.PublishAsync(bob.PageViewed(Channel.WEB));
        await Worker.Api.ViewWhenAsync(bob.CustomerId, _ => true, Deadline, "the customer's view");

        var clock = Stopwatch.StartNew();
        await Worker.Publisher.PublishAsync(bob.After(TimeSpan.FromMinutes(5)).StoreOrder("order-store-1", 120m));
        var view = await Worker.Api.ViewWhenAsync(bob.CustomerId, v => v.GetProperty("orders").GetProperty("ordersLifetime").GetInt32() == 1, Deadline, "the store order");
        var visibleAfter = clock.Elapsed;

        TestContext.Progress.WriteLine($"store order visible in the view after {visibleAfter.TotalMilliseconds:0} ms");
        Assert.That(view.GetProperty("orders").GetProperty("monetaryLifetime").GetDecimal(), Is.EqualTo(120m));
        Assert.That(view.GetProperty("timeline")[0].GetProperty("summary").GetString(), Does.Contain("in store store-1"));
        Assert.That(view.GetProperty("lastChannel").GetString(), Is.EqualTo("STORE"));
        Assert.That(visibleAfter, Is.LessThan(TimeSpan.FromSeconds(1)), "the promise: a store purchase is known to the call center within a second");
    }

    [Test]
    public async Task A_customer_who_withdrew_email_consent_still_has_a_complete_view_and_the_consent_shows()
    {
        var carla = new Interactions(Unique("carla"), DateTime.UtcNow);
        await Worker.Publisher.PublishAsync(carla.ConsentChanged(Channel.WEB, Purpose.MARKETING, Channel.EMAIL, granted: true));
        await Worker.Publisher.PublishAsync(carla.After(TimeSpan.FromMinutes(1)).ProductViewed(Channel.MOBILE_APP, "sku-1"));
        await Worker.Publisher.PublishAsync(carla.After(TimeSpan.FromMinutes(1)).ConsentChanged(Channel.EMAIL, Purpose.MARKETING, Channel.EMAIL, granted: false));
        await Worker.Publisher.PublishAsync(carla.After(TimeSpan.FromMinutes(1)).StoreVisited());

        var view = await Worker.Api.ViewWhenAsync(carla.CustomerId, v => v.GetProperty("timeline").GetArrayLength() == 4, Deadline, "all four interactions");

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
        var device = Unique("device");
        var owner = new Interactions(Unique("dora"), DateTime.UtcNow);
        var intruder = new Interactions(Unique("eve"), DateTime.UtcNow.AddSeconds(10));
        await Worker.Publisher.PublishAsync(owner.Identified(Channel.IOT, device, "device_pairing"));
        await Worker.Api.ViewWhenAsync(owner.CustomerId, v => v.GetProperty("linkedIds").GetArrayLength() == 1, Deadline, "the first link");

        await Worker.Publisher.PublishAsync(intruder.Identified(Channel.WEB, device, "login"));

        var refused = await Worker.Api.ViewWhenAsync(intruder.CustomerId, v => v.GetProperty("refusedLinks").GetArrayLength() == 1, Deadline, "the refused link");
        Assert.That(refused.GetProperty("refusedLinks")[0].GetProperty("ownerId").GetString(), Is.EqualTo(owner.CustomerId));
        Assert.That(refused.GetProperty("linkedIds").GetArrayLength(), Is.Zero);
        var kept = (await Worker.Api.GetAsync($"/customers/{owner.CustomerId}")).Body;
        Assert.That(kept.GetProperty("linkedIds")[0].GetString(), Is.EqualTo(device));
    }

    [Test]
    public async Task A_detractor_enters_the_segment_and_the_change_is_written_downstream()
    {
        var gina = new Interactions(Unique("gina"), DateTime.UtcNow);

        await Worker.Publisher.PublishAsync(gina.SurveyAnswered(Channel.EMAIL, nps: 3, ces: 6));

        var view = await Worker.Api.ViewWhenAsync(gina.CustomerId, v => v.GetProperty("segments").GetArrayLength() > 0, Deadline, "the segment in the view");
        Assert.That(view.GetProperty("segments").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "detractor" }));
        using var changes = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.SegmentChanges.Name]);
        var records = await changes.ReadUntilAsync(r => r.Any(c => Encoding.UTF8.GetString(c.Message.Key) == gina.CustomerId), Deadline, "the segment change");
        var change = SegmentChanges.DeserializeAsync(records.Single(c => Encoding.UTF8.GetString(c.Message.Key) == gina.CustomerId).Message.Value).AsTask().Result;
        Assert.That((change.segment, change.entered, change.rule), Is.EqualTo(("detractor", true, "last_nps <= 6")));
    }

    [Test]
    public async Task A_customer_who_goes_silent_enters_the_at_risk_segment_when_the_days_pass_without_any_event()
    {
        // Three orders, the last one 61 days ago less 3 seconds: "more than 60 days" holds 3 seconds from now.
        var start = DateTime.UtcNow.AddDays(-70);
        var hana = new Interactions(Unique("hana"), start);
        await Worker.Publisher.PublishAsync(hana.OrderPlaced(Channel.WEB, 40m));
        await Worker.Publisher.PublishAsync(hana.After(TimeSpan.FromDays(5)).OrderPlaced(Channel.STORE, 30m));
        await Worker.Publisher.PublishAsync(hana.After(DateTime.UtcNow.AddDays(-61).AddSeconds(3) - hana.Now).OrderPlaced(Channel.WEB, 20m));
        var before = await Worker.Api.ViewWhenAsync(hana.CustomerId, v => v.GetProperty("orders").GetProperty("ordersLifetime").GetInt32() == 3, Deadline, "the three orders");
        Assert.That(before.GetProperty("segments").EnumerateArray().Select(s => s.GetString()), Does.Not.Contain("at_risk"), "60 whole days only");

        using var changes = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.SegmentChanges.Name]);
        var records = await changes.ReadUntilAsync(r => r.Any(c => Encoding.UTF8.GetString(c.Message.Key) == hana.CustomerId), Deadline, "the segment change");

        var change = SegmentChanges.DeserializeAsync(records.Single(c => Encoding.UTF8.GetString(c.Message.Key) == hana.CustomerId).Message.Value).AsTask().Result;
        Assert.That((change.segment, change.entered), Is.EqualTo(("at_risk", true)));
        Assert.That(change.at, Is.GreaterThan(hana.Now.AddDays(61)), "entered when the days had passed, not at an event");
        var after = await Worker.Api.ViewWhenAsync(hana.CustomerId, v => v.GetProperty("segments").GetArrayLength() > 0, Deadline, "the segment in the view");
        Assert.That(after.GetProperty("segments").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "at_risk" }));
    }

    private static readonly AvroSerde<SegmentChange> SegmentChanges = new(SchemaCatalog.Default);

    [Test]
    public async Task An_unknown_customer_is_answered_404_with_a_clear_body()
    {
        var (status, body) = await Worker.Api.GetAsync("/customers/nobody-" + Guid.NewGuid().ToString("N"));

        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body.GetProperty("error").GetString(), Does.Contain("is not known"));
    }

    // A visitor views boots and puts them in a cart on the website, then logs into the app: the customer's view once it shows the cart.
    private async Task<(Interactions Visitor, Interactions Customer, JsonElement View)> VisitorWithCartLogsInAsync()
    {
        var visitor = Interactions.Anonymous(Unique("cookie"), DateTime.UtcNow);
        await Worker.Publisher.PublishAsync(visitor.ProductViewed(Channel.WEB, "sku-boots"));
        await Worker.Publisher.PublishAsync(visitor.After(TimeSpan.FromSeconds(1)).CartUpdated(Channel.WEB, ("sku-boots", 1, 89.90m)));
        await Worker.Api.ViewWhenAsync(visitor.CustomerId, v => v.GetProperty("cart").ValueKind == JsonValueKind.Object, Deadline, "the anonymous cart");
        var customer = new Interactions(Unique("anna"), visitor.Now.AddSeconds(30));

        await Worker.Publisher.PublishAsync(customer.Identified(Channel.MOBILE_APP, visitor.CustomerId));

        var view = await Worker.Api.ViewWhenAsync(customer.CustomerId, v => v.GetProperty("cart").ValueKind == JsonValueKind.Object, Deadline, "the cart in the customer's view");
        return (visitor, customer, view);
    }

    private static List<string?> Types(JsonElement view) =>
        view.GetProperty("timeline").EnumerateArray().Select(i => i.GetProperty("type").GetString()).ToList();
}
