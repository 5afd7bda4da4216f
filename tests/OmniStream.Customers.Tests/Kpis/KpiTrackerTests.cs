using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.Kpis;

public class KpiTrackerTests
{
    private static readonly CustomerFold Folder = new(new FoldOptions());
    private static readonly KpiTracker Tracker = new(new KpiOptions { JourneyGap = TimeSpan.FromMinutes(30) });

    [Test]
    public void Page_views_within_the_gap_are_one_journey_and_an_order_converts_it_once()
    {
        var anna = new Interactions("anna");
        var (_, facts) = Run(new CustomerState("anna"),
            anna.PageViewed(Channel.WEB), anna.After(TimeSpan.FromMinutes(10)).PageViewed(Channel.WEB, "/shoes"),
            anna.After(TimeSpan.FromMinutes(10)).OrderPlaced(Channel.WEB, 50m), anna.After(TimeSpan.FromMinutes(1)).OrderPlaced(Channel.WEB, 20m));

        var day = Totals(facts, KpiWindow.DAY);
        Assert.That(day["all"], Is.EqualTo(new KpiCounts(Journeys: 1, Conversions: 1)));
        Assert.That(day["channel:WEB"], Is.EqualTo(new KpiCounts(Journeys: 1, Conversions: 1)));
        Assert.That(Totals(facts, KpiWindow.MINUTE).Keys.Count(k => k.EndsWith("/all", StringComparison.Ordinal)), Is.EqualTo(1),
            "the journey and its conversion count in the minute it started");
    }

    [Test]
    public void A_pause_longer_than_the_gap_starts_a_new_journey_and_moving_channel_continues_the_cross_channel_one()
    {
        var anna = new Interactions("anna");
        var (_, facts) = Run(new CustomerState("anna"),
            anna.PageViewed(Channel.WEB), anna.After(TimeSpan.FromMinutes(5)).AppOpened(),
            anna.After(TimeSpan.FromMinutes(45)).AppOpened(), anna.After(TimeSpan.FromMinutes(1)).OrderPlaced(Channel.MOBILE_APP, 30m));

        var day = Totals(facts, KpiWindow.DAY);
        Assert.That(day["all"], Is.EqualTo(new KpiCounts(Journeys: 2, Conversions: 1)));
        Assert.That(day["channel:WEB"], Is.EqualTo(new KpiCounts(Journeys: 1)), "the web journey ended without an order");
        Assert.That(day["channel:MOBILE_APP"], Is.EqualTo(new KpiCounts(Journeys: 2, Conversions: 1)));
    }

    [Test]
    public void Survey_answers_count_for_every_customer_their_channel_and_their_segments()
    {
        var anna = new Interactions("anna");
        var state = new CustomerState("anna");
        state.Segments.Add("vip");
        var (_, facts) = Run(state, anna.SurveyAnswered(Channel.CALL_CENTER, nps: 9, ces: 2),
            anna.After(TimeSpan.FromMinutes(1)).SurveyAnswered(Channel.CALL_CENTER, nps: 3, ces: 6),
            anna.After(TimeSpan.FromMinutes(1)).SurveyAnswered(Channel.EMAIL, nps: 8));

        var day = Totals(facts, KpiWindow.DAY);
        Assert.That(day["all"] with { Journeys = 0 }, Is.EqualTo(new KpiCounts(NpsResponses: 3, Promoters: 1, Detractors: 1, CesResponses: 2, CesSum: 8)));
        Assert.That(day["all"].Nps, Is.EqualTo(0));
        Assert.That(day["all"].CesAverage, Is.EqualTo(4));
        Assert.That(day["segment:vip"].NpsResponses, Is.EqualTo(3));
        Assert.That(day["channel:CALL_CENTER"] with { Journeys = 0 }, Is.EqualTo(new KpiCounts(NpsResponses: 2, Promoters: 1, Detractors: 1, CesResponses: 2, CesSum: 8)));
        Assert.That(day["channel:EMAIL"].NpsResponses, Is.EqualTo(1));
    }

    [Test]
    public void A_login_in_the_middle_of_an_anonymous_visit_continues_its_journey_and_the_order_converts_it()
    {
        var visitor = Interactions.Anonymous("cookie-1");
        var (gathered, visitFacts) = Run(new CustomerState("cookie-1"),
            visitor.PageViewed(Channel.WEB), visitor.After(TimeSpan.FromMinutes(4)).CartUpdated(Channel.WEB, ("sku-1", 1, 40m)));
        var anna = new Interactions("anna", visitor.Now.AddMinutes(2));
        var (state, loginFacts) = Run(new CustomerState("anna"), anna.Identified(Channel.WEB, "cookie-1"));

        var absorbFacts = new Facts();
        Tracker.Absorb(state, gathered.Journeys, gathered, absorbFacts);
        var (_, orderFacts) = Run(state, anna.After(TimeSpan.FromMinutes(3)).OrderPlaced(Channel.WEB, 40m));

        var day = Totals([.. visitFacts, .. loginFacts, .. absorbFacts, .. orderFacts], KpiWindow.DAY);
        Assert.That(day["all"], Is.EqualTo(new KpiCounts(Journeys: 1, Conversions: 1)));
        Assert.That(day["channel:WEB"], Is.EqualTo(new KpiCounts(Journeys: 1, Conversions: 1)));
        Assert.That(state.Journeys["WEB"].StartedAt, Is.EqualTo(gathered.Journeys["WEB"].StartedAt), "the visit's journey goes on");
    }

    [Test]
    public void An_action_counts_when_sent_and_converts_once_whatever_outcomes_follow()
    {
        var action = new NextBestAction
        {
            actionId = Guid.NewGuid(), customerId = "anna", channel = Channel.EMAIL, actionType = ActionType.CART_REMINDER,
            contentRef = "cart", reasonCodes = [], decidedAt = new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc),
            experiment = new ExperimentAssignment { experimentId = "reminder-copy", variant = "challenger" },
        };
        var record = new ActionRecord(action.actionId, action.actionType, action.channel, action.decidedAt, action.contentRef, null, null, "challenger");
        var state = new CustomerState("anna");
        Folder.WithAction(state, record);
        var facts = new Facts();
        KpiTracker.Decided(record, facts);
        foreach (var (outcome, minutes) in new[] { (Schemas.Contracts.Outcome.CONVERTED, 5), (Schemas.Contracts.Outcome.CLICKED, 6), (Schemas.Contracts.Outcome.CONVERTED, 7) })
        {
            if (CustomerFold.WithOutcome(state, Outcome(action, outcome, minutes)).Converted is { } converted)
            {
                KpiTracker.Converted(converted, facts);
            }
        }

        var hour = Totals(facts, KpiWindow.HOUR);
        Assert.That(hour["action:CART_REMINDER/challenger"], Is.EqualTo(new KpiCounts(ActionsSent: 1, ActionsConverted: 1)));
        Assert.That(hour["channel:EMAIL"].ActionConversionRate, Is.EqualTo(1.0));
        Assert.That(state.Actions.Single().Outcome, Is.EqualTo(Schemas.Contracts.Outcome.CONVERTED));
    }

    [Test]
    public void Cells_and_scopes_read_back_what_they_write_and_refuse_anything_else()
    {
        var cell = new KpiCell(KpiWindow.HOUR, new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc), KpiScope.Action(ActionType.CART_REMINDER, null));

        Assert.That(cell.ToString(), Is.EqualTo("HOUR/2026-11-23T10:00:00Z/action:CART_REMINDER/none"));
        Assert.That(KpiCell.Parse(cell.ToString()), Is.EqualTo(cell));
        Assert.That(cell.ToUtf8(), Is.EqualTo(System.Text.Encoding.UTF8.GetBytes(cell.ToString())), "the key as sent");
        var segment = new KpiCell(KpiWindow.DAY, new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc), KpiScope.Segment(new string('é', 300)));
        Assert.That(KpiCell.ParseUtf8(segment.ToUtf8()), Is.EqualTo(segment), "a key longer than its first buffer, not ASCII");
        Assert.That(KpiScope.Parse("all"), Is.EqualTo(KpiScope.All));
        Assert.That(() => KpiScope.Parse("region:north"), Throws.TypeOf<FormatException>().With.Message.Contains("'region:north' is not a KPI scope"));
        Assert.That(() => KpiCell.Parse("WEEK/x/all"), Throws.TypeOf<FormatException>().With.Message.Contains("'WEEK/x/all' is not a KPI cell"));
    }

    [TestCase("MINUTE/2026-11-23T10:01:00Z/all")]
    [TestCase("DAY/2026-11-23T00:00:00Z/channel:CALL_CENTER")]
    [TestCase("HOUR/2026-11-23T10:00:00Z/segment:vip")]
    [TestCase("HOUR/2026-11-23T10:00:00Z/action:OFFER/control")]
    public void A_cell_read_from_its_utf8_key_is_the_cell_read_from_its_text(string text)
    {
        var cell = KpiCell.ParseUtf8(System.Text.Encoding.UTF8.GetBytes(text));

        Assert.That(cell, Is.EqualTo(KpiCell.Parse(text)));
        Assert.That(cell.ToString(), Is.EqualTo(text));
        Assert.That(KpiCell.ParseUtf8(System.Text.Encoding.UTF8.GetBytes(text)).Scope, Is.SameAs(cell.Scope), "a scope read before is not made again");
    }

    [TestCase("HOUR")]
    [TestCase("HOUR/2026-11-23T10:00:00Z")]
    [TestCase("/2026-11-23T10:00:00Z/all")]
    [TestCase("HOUR/2026-11-23 10:00/all")]
    [TestCase("HOUR/2026-11-23T10:00:00Z/")]
    [TestCase("HOUR/2026-11-23T10:00:00Z/all:x")]
    public void A_key_that_is_not_a_cell_is_refused_saying_what_it_is_not(string text) =>
        Assert.That(() => KpiCell.ParseUtf8(System.Text.Encoding.UTF8.GetBytes(text)), Throws.TypeOf<FormatException>().With.Message.Contains("is not a KPI"));

    private static ActionOutcome Outcome(NextBestAction action, Outcome outcome, int minutesLater) => new()
    {
        outcomeId = Guid.NewGuid(), actionId = action.actionId, customerId = action.customerId, channel = action.channel,
        actionType = action.actionType, outcome = outcome, occurredAt = action.decidedAt.AddMinutes(minutesLater),
    };

    private static (CustomerState State, List<KpiFact> Facts) Run(CustomerState state, params InteractionEvent[] events)
    {
        var facts = new Facts();
        foreach (var e in events)
        {
            var step = Folder.Apply(state, e);
            Assert.That(step.Verdict, Is.EqualTo(FoldVerdict.Applied));
            Tracker.Track(state, step, e, facts);
        }
        return (state, facts);
    }

    // Counts per scope, summed over the windows of one length.
    private static Dictionary<string, KpiCounts> Totals(IEnumerable<KpiFact> facts, KpiWindow window) => facts
        .Select(f => (Cell: KpiCell.Of(f, window), f.Counts))
        .GroupBy(x => window == KpiWindow.MINUTE ? x.Cell.ToString() : x.Cell.Scope.ToString())
        .ToDictionary(g => g.Key, g => g.Aggregate(KpiCounts.Zero, (sum, x) => sum.Plus(x.Counts)));

    private sealed class Facts : List<KpiFact>, IKpiFacts
    {
        void IKpiFacts.Add(KpiFact fact) => Add(fact);
    }
}
