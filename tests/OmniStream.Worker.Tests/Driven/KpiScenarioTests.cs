using System.Text.Json;
using OmniStream.Channels.Topics;
using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;

namespace OmniStream.Worker.Tests.Driven;

/// <summary>KPIs on the stage test driver: journeys, conversions, NPS, CES and action conversion, in the kpis store (as <c>GET /kpis</c> reads it) and on <c>omni.kpis</c>.</summary>
public class KpiScenarioTests
{
    private static readonly AvroSerde<KpiUpdate> Updates = new(SchemaCatalog.Default);

    [Test]
    public async Task Journeys_conversions_and_survey_scores_of_a_minute_add_up_in_the_store_and_on_the_kpis_topic()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var minute = KpiWindows.StartOf(KpiWindow.MINUTE, worker.Now);
        var buyer = new Interactions("buyer", minute.AddSeconds(5));
        var browser = new Interactions("browser", minute.AddSeconds(6));
        var caller = new Interactions("caller", minute.AddSeconds(10));
        var visitor = Interactions.Anonymous("cookie", minute.AddSeconds(7));
        var member = new Interactions("member", minute.AddSeconds(15));

        await worker.PublishAsync(buyer.PageViewed(Channel.WEB));
        await worker.PublishAsync(buyer.After(TimeSpan.FromSeconds(15)).OrderPlaced(Channel.WEB, 80m));
        await worker.PublishAsync(browser.PageViewed(Channel.WEB));
        await worker.PublishAsync(caller.SurveyAnswered(Channel.CALL_CENTER, nps: 3, ces: 5));
        // A visitor logs in halfway through a visit and orders: one journey, converted.
        await worker.PublishAsync(visitor.PageViewed(Channel.WEB));
        await worker.PublishAsync(member.Identified(Channel.WEB, visitor.CustomerId));
        worker.ViewWhere(member.CustomerId, v => v.GetProperty("linkedIds").GetArrayLength() == 1, "the visit merged into the member");
        await worker.PublishAsync(member.After(TimeSpan.FromSeconds(10)).OrderPlaced(Channel.WEB, 40m));

        var web = Cell(worker, minute, "channel:WEB");
        var all = Cell(worker, minute, "all");
        Assert.Multiple(() =>
        {
            Assert.That(web.GetProperty("counts").GetProperty("conversions").GetInt64(), Is.EqualTo(2));
            Assert.That(web.GetProperty("counts").GetProperty("journeys").GetInt64(), Is.EqualTo(3), "buyer, browser, and the visit that became the member's");
            Assert.That(web.GetProperty("conversionRate").GetDouble(), Is.EqualTo(2 / 3.0).Within(1e-9));
            Assert.That(all.GetProperty("counts").GetProperty("journeys").GetInt64(), Is.EqualTo(4));
            Assert.That(all.GetProperty("counts").GetProperty("npsResponses").GetInt64(), Is.EqualTo(1));
            Assert.That(all.GetProperty("nps").GetDouble(), Is.EqualTo(-100));
            Assert.That(all.GetProperty("cesAverage").GetDouble(), Is.EqualTo(5));
        });
        var key = $"MINUTE/{minute:yyyy-MM-dd'T'HH:mm:ss'Z'}/channel:WEB";
        var published = await Updates.DeserializeAsync(worker.ValuesFor(TopicCatalog.Kpis.Name, key)[^1]!);
        Assert.That((published.journeys, published.conversions, published.conversionRate), Is.EqualTo((3L, 2L, (double?)(2 / 3.0))), "the cell's last update carries its figures");
    }

    [Test]
    public async Task An_outcome_reported_by_the_channel_reaches_the_customer_and_counts_as_a_conversion_of_the_action()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMilliseconds(500));
        var anna = new Interactions("anna", worker.Now);
        await worker.GrantMarketingAsync(anna);
        await worker.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 25m)));
        await worker.AdvanceAsync(TimeSpan.FromSeconds(1), step: TimeSpan.FromMilliseconds(250));
        var action = worker.ActionsFor(anna.CustomerId).Single();

        await worker.ReportAsync(action, Outcome.CLICKED);
        await worker.ReportAsync(action, Outcome.CONVERTED, value: 25m);

        Assert.That(worker.ActionHistory(anna.CustomerId)?[0].GetProperty("outcome").GetString(), Is.EqualTo("CONVERTED"));
        var cell = Cell(worker, KpiWindows.StartOf(KpiWindow.MINUTE, action.decidedAt), "action:CART_REMINDER/none");
        Assert.That(cell.GetProperty("counts").GetProperty("actionsConverted").GetInt64(), Is.EqualTo(1));
        Assert.That(cell.GetProperty("counts").GetProperty("actionsSent").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_kpis_stage_killed_before_its_commit_counts_each_journey_once_after_its_restart()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var minute = KpiWindows.StartOf(KpiWindow.MINUTE, worker.Now);
        await worker.PublishAsync(new Interactions("first", minute.AddSeconds(1)).PageViewed(Channel.WEB));
        Assert.That(Cell(worker, minute, "channel:WEB").GetProperty("counts").GetProperty("journeys").GetInt64(), Is.EqualTo(1));

        // The second journey reaches stage kpis, which sums it with the cell's committed counts and dies before committing.
        Assert.That(await worker.KillKpisBeforeCommitAsync(new Interactions("second", minute.AddSeconds(2)).PageViewed(Channel.WEB)), Is.GreaterThan(0),
            "the second journey's counts were read");
        await worker.Driver.RunAsync();

        Assert.That(Cell(worker, minute, "channel:WEB").GetProperty("counts").GetProperty("journeys").GetInt64(), Is.EqualTo(2));
    }

    private static JsonElement Cell(DrivenWorker worker, DateTime minute, string scope) =>
        worker.Kpis(minute, scope) ?? throw new AssertionException($"no KPI cell for {scope} in the minute of {minute:O}");
}
