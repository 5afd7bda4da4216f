using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Worker.Tests;

/// <summary>KPIs through the real worker: journeys, conversions, NPS, CES and action conversion, on <c>omni.kpis</c> and <c>GET /kpis</c>.</summary>
public class KpiScenarioTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly AvroSerde<KpiUpdate> Updates = new(SchemaCatalog.Default);

    private static string Unique(string name) => WorkerHarness.Unique(name);

    [Test]
    public async Task Journeys_conversions_and_survey_scores_of_a_minute_add_up_on_the_kpis_topic_and_the_api()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMinutes(30));
        // A minute of its own: the other tests' events are all within the last few minutes.
        var minute = KpiWindows.StartOf(KpiWindow.MINUTE, DateTime.UtcNow.AddMinutes(-75));
        var buyer = new Interactions(Unique("buyer"), minute.AddSeconds(5));
        var browser = new Interactions(Unique("browser"), minute.AddSeconds(6));
        var caller = new Interactions(Unique("caller"), minute.AddSeconds(10));
        var visitor = Interactions.Anonymous(Unique("cookie"), minute.AddSeconds(7));
        var member = new Interactions(Unique("member"), minute.AddSeconds(15));

        await worker.Publisher.PublishAsync(buyer.PageViewed(Channel.WEB));
        await worker.Publisher.PublishAsync(buyer.After(TimeSpan.FromSeconds(15)).OrderPlaced(Channel.WEB, 80m));
        await worker.Publisher.PublishAsync(browser.PageViewed(Channel.WEB));
        await worker.Publisher.PublishAsync(caller.SurveyAnswered(Channel.CALL_CENTER, nps: 3, ces: 5));
        // A visitor logs in halfway through a visit and orders: one journey, converted.
        await worker.Publisher.PublishAsync(visitor.PageViewed(Channel.WEB));
        await worker.Publisher.PublishAsync(member.Identified(Channel.WEB, visitor.CustomerId));
        await worker.Api.ViewWhenAsync(member.CustomerId, v => v.GetProperty("linkedIds").GetArrayLength() == 1, Deadline, "the visit merged into the member");
        await worker.Publisher.PublishAsync(member.After(TimeSpan.FromSeconds(10)).OrderPlaced(Channel.WEB, 40m));

        var web = await worker.Api.KpisWhenAsync(minute, "channel:WEB", c => c.GetProperty("conversions").GetInt64() == 2, Deadline);
        var all = await worker.Api.KpisWhenAsync(minute, "all", c => c.GetProperty("conversions").GetInt64() == 2 && c.GetProperty("npsResponses").GetInt64() == 1, Deadline);

        Assert.Multiple(() =>
        {
            Assert.That(web.GetProperty("counts").GetProperty("journeys").GetInt64(), Is.EqualTo(3), "buyer, browser, and the visit that became the member's");
            Assert.That(web.GetProperty("conversionRate").GetDouble(), Is.EqualTo(2 / 3.0).Within(1e-9));
            Assert.That(all.GetProperty("counts").GetProperty("journeys").GetInt64(), Is.EqualTo(4));
            Assert.That(all.GetProperty("nps").GetDouble(), Is.EqualTo(-100));
            Assert.That(all.GetProperty("cesAverage").GetDouble(), Is.EqualTo(5));
        });
        // The cell's updates are published as its counts arrive (journeys and conversions from different tasks, in any
        // order): wait for the update that carries the figures the API gave, then check it.
        var published = await LatestUpdateAsync($"MINUTE/{minute:yyyy-MM-dd'T'HH:mm:ss'Z'}/channel:WEB", u => u.conversions == 2 && u.journeys == 3);
        Assert.That((published.journeys, published.conversionRate), Is.EqualTo((3L, (double?)(2 / 3.0))));
    }

    [Test]
    public async Task An_outcome_reported_by_the_channel_reaches_the_customer_and_counts_as_a_conversion_of_the_action()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMilliseconds(500));
        var anna = new Interactions(Unique("anna"), DateTime.UtcNow);
        using var actions = new TopicReader(KafkaFixture.Cluster.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name));
        await worker.GrantMarketingAsync(anna);
        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 25m)));
        var record = (await actions.ReadUntilAsync(r => r.Any(x => Encoding.UTF8.GetString(x.Message.Key) == anna.CustomerId), Deadline, "the cart reminder"))
            .First(x => Encoding.UTF8.GetString(x.Message.Key) == anna.CustomerId);
        var action = await WorkerHarness.Actions.DeserializeAsync(record.Message.Value);
        using var reporter = new OutcomeReporter(new KafkaOptions { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }, new AvroSerde<ActionOutcome>(SchemaCatalog.Default));

        await reporter.ReportAsync(action, Outcome.CLICKED);
        await reporter.ReportAsync(action, Outcome.CONVERTED, value: 25m);

        await Wait.UntilAsync(async () =>
        {
            var (status, body) = await worker.Api.GetAsync($"/customers/{anna.CustomerId}/actions");
            return status == HttpStatusCode.OK && body[0].GetProperty("outcome").GetString() == "CONVERTED";
        }, Deadline, "the conversion in the customer's actions");
        var minute = KpiWindows.StartOf(KpiWindow.MINUTE, action.decidedAt);
        var cell = await worker.Api.KpisWhenAsync(minute, "action:CART_REMINDER/none", c => c.GetProperty("actionsConverted").GetInt64() == 1, Deadline);
        Assert.That(cell.GetProperty("counts").GetProperty("actionsSent").GetInt64(), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task A_kpi_request_that_does_not_read_is_refused_with_the_parameter_named()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMinutes(30));

        var (status, body) = await worker.Api.GetAsync("/kpis?window=WEEK");
        var (lastStatus, lastBody) = await worker.Api.GetAsync("/kpis?last=0");
        var (fine, report) = await worker.Api.GetAsync("/kpis?window=hour&dimension=channel");

        Assert.That((status, body.GetProperty("error").GetString()), Is.EqualTo((HttpStatusCode.BadRequest, "window 'WEEK' is not one of MINUTE, HOUR, DAY")));
        Assert.That((lastStatus, lastBody.GetProperty("error").GetString()), Is.EqualTo((HttpStatusCode.BadRequest, "last '0' must be a whole number from 1 to 1440")));
        Assert.That(fine, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(report.GetProperty("kpis").EnumerateArray().Select(k => k.GetProperty("scope").GetString()), Has.All.StartsWith("channel:"));
    }

    private static async Task<KpiUpdate> LatestUpdateAsync(string key, Func<KpiUpdate, bool> holds)
    {
        using var reader = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.Kpis.Name]);
        KpiUpdate? latest = null;
        await reader.ReadUntilAsync(records =>
        {
            var last = records.LastOrDefault(r => Encoding.UTF8.GetString(r.Message.Key) == key);
            latest = last is null ? null : Updates.DeserializeAsync(last.Message.Value).AsTask().Result;
            return latest is not null && holds(latest);
        }, Deadline, $"an update of {key} on {TopicCatalog.Kpis.Name}");
        return latest!;
    }
}
