using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Worker.Tests;

/// <summary>
/// The worker's HTTP API on a real worker and the test cluster: a store purchase reaches the view the
/// call center reads within a second, unknown customers and malformed KPI requests are answered
/// clearly. (What the view and the KPIs hold: the scenario tests in <see cref="Driven"/>.)
/// </summary>
public class CustomerApiTests : SharedWorkerTests
{
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
    public async Task An_unknown_customer_is_answered_404_with_a_clear_body()
    {
        var (status, body) = await Worker.Api.GetAsync("/customers/nobody-" + Guid.NewGuid().ToString("N"));

        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body.GetProperty("error").GetString(), Does.Contain("is not known"));
    }

    [Test]
    public async Task An_export_holds_the_customers_journeys_and_no_cache_may_keep_it()
    {
        var gina = new Interactions(Unique("gina"), DateTime.UtcNow);
        await Worker.Publisher.PublishAsync(gina.PageViewed(Channel.WEB));
        await Worker.Api.ViewWhenAsync(gina.CustomerId, _ => true, Deadline, "the customer's view");

        using var http = Testing.Http.TestCredentials.AdminClient(Worker.Api.BaseAddress);
        using var export = await http.GetAsync($"/privacy/export/{gina.CustomerId}");
        using var view = await http.GetAsync($"/customers/{gina.CustomerId}");
        using var body = System.Text.Json.JsonDocument.Parse(await export.Content.ReadAsStringAsync());

        Assert.That(export.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(export.Headers.CacheControl?.NoStore, Is.True, "the export");
        Assert.That(view.Headers.CacheControl?.NoStore, Is.True, "the view");
        Assert.That(body.RootElement.GetProperty("journeys").EnumerateObject().Select(j => j.Name), Does.Contain("WEB"), "the journeys the KPIs follow");
    }

    [Test]
    public async Task An_export_holds_every_action_the_actions_topics_still_hold_for_the_customer_and_no_one_elses()
    {
        var hana = new Interactions(Unique("hana"), DateTime.UtcNow);
        await Worker.Publisher.PublishAsync(hana.PageViewed(Channel.WEB));
        await Worker.Api.ViewWhenAsync(hana.CustomerId, _ => true, Deadline, "the customer's view");
        // As the worker writes them, on two channels: more than the state keeps with their outcomes, as a long-lived customer's.
        var actions = new[] { Channel.EMAIL, Channel.WEB, Channel.EMAIL }.Select(c => ActionFor(hana.CustomerId, c)).ToList();
        using (var producer = new Confluent.Kafka.ProducerBuilder<byte[], byte[]>(new Confluent.Kafka.ProducerConfig
        {
            BootstrapServers = KafkaFixture.Cluster.BootstrapServers,
            Partitioner = Confluent.Kafka.Partitioner.Murmur2Random,
        }).Build())
        {
            foreach (var action in actions.Append(ActionFor(Unique("ivan"), Channel.EMAIL)))
            {
                var topic = Channels.Topics.TopicCatalog.Actions(action.channel).Name;
                await producer.ProduceAsync(topic, new Confluent.Kafka.Message<byte[], byte[]>
                {
                    Key = System.Text.Encoding.UTF8.GetBytes(action.customerId),
                    Value = await WorkerHarness.Actions.SerializeAsync(action, topic),
                });
            }
        }

        var (status, export) = await Worker.Api.GetAsync($"/privacy/export/{hana.CustomerId}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(export.GetProperty("actionsOnTopicsComplete").GetBoolean(), Is.True);
        Assert.That(export.GetProperty("actionsOnTopics").EnumerateArray().Select(a => a.GetProperty("actionId").GetString()),
            Is.EquivalentTo(actions.Select(a => a.actionId.ToString())), "hers, all of them, and no one else's");
        Assert.That(export.GetProperty("actionsOnTopics").EnumerateArray().Select(a => a.GetProperty("channel").GetString()).Distinct(),
            Is.EquivalentTo(new[] { "EMAIL", "WEB" }), "enums by name");
    }

    private static NextBestAction ActionFor(string customerId, Channel channel) => new()
    {
        actionId = Guid.NewGuid(),
        customerId = customerId,
        channel = channel,
        actionType = ActionType.OFFER,
        contentRef = "welcome/v1",
        parameters = new Dictionary<string, string>(),
        score = 1,
        reasonCodes = ["NEW_CUSTOMER"],
        rulesFired = [],
        triggeredAt = DateTime.UtcNow,
        decidedAt = DateTime.UtcNow,
        expiresAt = DateTime.UtcNow.AddDays(1),
    };

    [Test]
    public async Task An_erasure_requested_through_the_api_reaches_the_customer_and_the_view_answers_404()
    {
        var fred = new Interactions(Unique("fred"), DateTime.UtcNow);
        await Worker.Publisher.PublishAsync(fred.PageViewed(Channel.WEB));
        await Worker.Api.ViewWhenAsync(fred.CustomerId, _ => true, Deadline, "the customer's view");

        var accepted = await Worker.Api.PostAsync($"/privacy/erasure/{fred.CustomerId}");

        Assert.That(accepted.Status, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(accepted.Body.GetProperty("requestId").GetString(), Is.Not.Empty);
        await OmniStream.Testing.Wait.UntilAsync(async () => (await Worker.Api.GetAsync($"/customers/{fred.CustomerId}")).Status == HttpStatusCode.NotFound,
            Deadline, "the API to answer 404");
    }

    [Test]
    public async Task A_kpi_request_that_does_not_read_is_refused_with_the_parameter_named()
    {
        var (status, body) = await Worker.Api.GetAsync("/kpis?window=WEEK");
        var (lastStatus, lastBody) = await Worker.Api.GetAsync("/kpis?last=0");
        var (fine, report) = await Worker.Api.GetAsync("/kpis?window=hour&dimension=channel");

        Assert.That((status, body.GetProperty("error").GetString()), Is.EqualTo((HttpStatusCode.BadRequest, "window 'WEEK' is not one of MINUTE, HOUR, DAY")));
        Assert.That((lastStatus, lastBody.GetProperty("error").GetString()), Is.EqualTo((HttpStatusCode.BadRequest, "last '0' must be a whole number from 1 to 1440")));
        Assert.That(fine, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(report.GetProperty("kpis").EnumerateArray().Select(k => k.GetProperty("scope").GetString()), Has.All.StartsWith("channel:"));
        Assert.That(report.GetProperty("segments").GetArrayLength(), Is.Zero, "segments' members belong to dimension segment");
    }

    [Test]
    public async Task A_segments_members_are_answered_with_the_kpis_of_its_scope()
    {
        var ivy = new Interactions(Unique("ivy"), DateTime.UtcNow);
        await Worker.Publisher.PublishAsync(ivy.CartUpdated(Channel.WEB, ("sku-9", 1, 12m)));

        var segment = default(JsonElement);
        await OmniStream.Testing.Wait.UntilAsync(async () =>
        {
            var (status, report) = await Worker.Api.GetAsync("/kpis?scope=segment:cart_open&window=minute&last=5");
            segment = status == HttpStatusCode.OK ? report.GetProperty("segments").EnumerateArray().SingleOrDefault() : default;
            return segment.ValueKind == JsonValueKind.Object && segment.GetProperty("entries").GetInt64() >= 1;
        }, Deadline, "cart_open's members counted");

        Assert.That(segment.GetProperty("segment").GetString(), Is.EqualTo("cart_open"));
        Assert.That(segment.GetProperty("members").GetInt64(), Is.EqualTo(segment.GetProperty("entries").GetInt64() - segment.GetProperty("exits").GetInt64()));
    }

    [Test]
    public async Task A_caller_that_holds_the_current_view_is_answered_304_until_the_customer_changes()
    {
        var hana = new Interactions(Unique("hana"), DateTime.UtcNow);
        await Worker.Publisher.PublishAsync(hana.PageViewed(Channel.WEB));
        await Worker.Api.ViewWhenAsync(hana.CustomerId, _ => true, Deadline, "the customer's view");
        using var http = Testing.Http.TestCredentials.AdminClient(Worker.Api.BaseAddress);
        using var first = await http.GetAsync($"/customers/{hana.CustomerId}");
        var tag = first.Headers.ETag!;

        using var unchanged = new HttpRequestMessage(HttpMethod.Get, $"/customers/{hana.CustomerId}") { Headers = { IfNoneMatch = { tag } } };
        using var notModified = await http.SendAsync(unchanged);
        await Worker.Publisher.PublishAsync(hana.After(TimeSpan.FromMinutes(1)).StoreVisited());
        await Worker.Api.ViewWhenAsync(hana.CustomerId, v => v.GetProperty("lastChannel").GetString() == "STORE", Deadline, "the store visit");
        using var changed = new HttpRequestMessage(HttpMethod.Get, $"/customers/{hana.CustomerId}") { Headers = { IfNoneMatch = { tag } } };
        using var modified = await http.SendAsync(changed);

        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(modified.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(modified.Headers.ETag, Is.Not.EqualTo(tag));
    }

    [Test]
    public async Task Why_not_answers_every_action_of_the_policies_and_names_an_unknown_one()
    {
        var ivan = new Interactions(Unique("ivan"), DateTime.UtcNow);
        await Worker.Publisher.PublishAsync(ivan.CartUpdated(Channel.WEB, ("sku-1", 1, 20m)));
        await Worker.Api.ViewWhenAsync(ivan.CustomerId, v => v.GetProperty("cart").ValueKind != System.Text.Json.JsonValueKind.Null, Deadline, "the cart");

        var (status, all) = await Worker.Api.GetAsync($"/customers/{ivan.CustomerId}/why-not");
        var (unknownStatus, unknown) = await Worker.Api.GetAsync($"/customers/{ivan.CustomerId}/why-not?action=no_such_action");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var reminder = all.EnumerateArray().Single(a => a.GetProperty("action").GetString() == "cart_reminder");
        Assert.That(reminder.GetProperty("wouldGoNow").GetBoolean(), Is.False);
        Assert.That(reminder.GetProperty("waitingUntil").GetDateTime(), Is.GreaterThan(DateTime.UtcNow.AddMinutes(20)), "its moment waits 30 minutes");
        Assert.That(reminder.GetProperty("stops").EnumerateArray().Select(s => s.GetString()), Has.Some.StartsWith("no channel: last_active has no MARKETING consent"));
        Assert.That(unknownStatus, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.GetProperty("error").GetString(), Does.Contain("no action 'no_such_action'").And.Contain("cart_reminder"));
    }
}
