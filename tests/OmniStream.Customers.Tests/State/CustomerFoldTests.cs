using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.State;

public class CustomerFoldTests
{
    private static readonly CustomerFold Folder = new(new FoldOptions());
    private readonly Interactions _anna = new("anna");

    private static CustomerState Fold(params InteractionEvent[] events) => Folder.ApplyAll(new CustomerState("anna"), events);

    [Test]
    public void A_cart_filled_on_the_web_stays_open_when_the_customer_moves_to_the_app()
    {
        var state = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 2, 10m)), _anna.After(TimeSpan.FromMinutes(3)).AppOpened());

        Assert.That(state.LastChannel, Is.EqualTo(Channel.MOBILE_APP));
        Assert.That(state.Cart!.Channel, Is.EqualTo(Channel.WEB));
        Assert.That(state.Cart.Total, Is.EqualTo(20m));
        Assert.That(state.Cart.Lines.Single(), Is.EqualTo(new CartLine("sku-1", 2, 10m)));
    }

    [Test]
    public void Each_interaction_on_a_channel_is_counted_in_its_activity_and_a_late_one_moves_only_the_first_seen_time()
    {
        var anna = new Interactions("anna");
        var state = new CustomerState("anna");
        var first = anna.PageViewed(Channel.WEB);
        var later = anna.After(TimeSpan.FromMinutes(5)).PageViewed(Channel.WEB);
        var earlier = anna.After(TimeSpan.FromMinutes(-20)).PageViewed(Channel.WEB);

        Folder.Apply(state, first);
        var step = Folder.Apply(state, later);
        Folder.Apply(state, earlier);

        Assert.That(step.PreviousChannelSeenAt, Is.EqualTo(first.occurredAt), "the step tells when the channel was seen before");
        Assert.That(state.Channels[Channel.WEB], Is.EqualTo(new ChannelActivity(earlier.occurredAt, later.occurredAt, 3)));
        Assert.That(state.LastChannel, Is.EqualTo(Channel.WEB));
    }

    [Test]
    public void An_order_closes_the_cart_and_counts_in_the_order_summary()
    {
        var state = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)), _anna.After(TimeSpan.FromMinutes(1)).OrderPlaced(Channel.WEB, 10m));

        Assert.That(state.Cart, Is.Null);
        var summary = state.OrderSummaryAt(_anna.Now.AddDays(2), TimeSpan.FromDays(90));
        Assert.That(summary, Is.EqualTo(new OrderSummary(_anna.Now, 2, 1, 10m, 1, 10m)));
    }

    [Test]
    public void An_emptied_cart_is_no_open_cart()
    {
        var state = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)), _anna.After(TimeSpan.FromMinutes(1)).CartUpdated(Channel.WEB));

        Assert.That(state.Cart, Is.Null);
    }

    [Test]
    public void A_late_cart_update_does_not_replace_a_newer_one()
    {
        var older = _anna.CartUpdated(Channel.WEB, ("sku-old", 1, 5m));
        var newer = _anna.After(TimeSpan.FromMinutes(5)).CartUpdated(Channel.MOBILE_APP, ("sku-new", 1, 7m));

        var state = Fold(newer, older);

        Assert.That(state.Cart!.Lines.Single().ProductId, Is.EqualTo("sku-new"));
        Assert.That(state.LastChannel, Is.EqualTo(Channel.MOBILE_APP));
    }

    [Test]
    public void The_same_event_twice_changes_nothing_the_second_time()
    {
        var cart = _anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m));
        var visit = _anna.After(TimeSpan.FromMinutes(1)).StoreVisited();
        var once = Fold(cart, visit);

        var before = CustomerStateCodec.Encode(once);

        Assert.That(Folder.Apply(once, cart).Verdict, Is.EqualTo(FoldVerdict.Duplicate));
        Assert.That(CustomerStateCodec.Encode(once), Is.EqualTo(before));
        Assert.That(once.Channels[Channel.WEB].Interactions, Is.EqualTo(1));
    }

    [Test]
    public void An_event_later_than_the_lateness_bound_is_refused()
    {
        var old = _anna.PageViewed(Channel.WEB);
        var state = Fold(_anna.After(TimeSpan.FromDays(8)).AppOpened());

        Assert.That(Folder.Apply(state, old).Verdict, Is.EqualTo(FoldVerdict.TooLate));
    }

    [Test]
    public void An_order_converts_the_latest_marketing_action_within_the_attribution_window_once()
    {
        var opened = _anna.AppOpened();
        ActionRecord Marketing(string name, TimeSpan before) =>
            new(Guid.NewGuid(), ActionType.OFFER, Channel.EMAIL, _anna.Now - before, name, null, null, Action: name, Purpose: Purpose.MARKETING);
        var older = Marketing("older", TimeSpan.FromDays(2));
        var latest = Marketing("latest", TimeSpan.FromDays(1));
        var service = new ActionRecord(Guid.NewGuid(), ActionType.SURVEY, Channel.EMAIL, _anna.Now, "survey", null, null, Purpose: Purpose.SERVICE);
        CustomerState WithActions()
        {
            var state = Fold(opened);
            Folder.WithAction(state, older);
            Folder.WithAction(state, latest);
            Folder.WithAction(state, service);
            return state;
        }
        var firstOrder = _anna.After(TimeSpan.FromHours(1)).OrderPlaced(Channel.WEB, 30m);
        var secondOrder = _anna.After(TimeSpan.FromHours(1)).OrderPlaced(Channel.WEB, 20m);

        var ordered = WithActions();
        var converted = Folder.Apply(ordered, firstOrder).Converted;
        var convertedAt = ordered.Actions.Single(a => a.Action == "latest").ConvertedAt;
        var convertedAgain = Folder.Apply(ordered, secondOrder).Converted;
        var muchLater = WithActions();
        Folder.Apply(muchLater, _anna.After(TimeSpan.FromDays(9)).OrderPlaced(Channel.WEB, 30m));

        Assert.That(converted?.Action, Is.EqualTo("latest"));
        Assert.That(convertedAgain, Is.Null);
        Assert.That(ordered.Actions.Where(a => a.ConvertedAt is not null).Select(a => a.Action), Is.EqualTo(new[] { "latest" }), "one order converts one action");
        Assert.That(ordered.Actions.Single(a => a.Action == "latest").ConvertedAt, Is.EqualTo(convertedAt));
        Assert.That(muchLater.Actions.All(a => a.ConvertedAt is null), Is.True, "past the 7-day window");
    }

    [Test]
    public void Consent_profile_surveys_and_tickets_keep_their_latest_values()
    {
        var state = Fold(
            _anna.ConsentChanged(Channel.WEB, Purpose.MARKETING, Channel.EMAIL, granted: true),
            _anna.ProfileUpdated(Channel.WEB, "city", "Lyon"),
            _anna.TicketOpened(Channel.CALL_CENTER, "t-1"),
            _anna.After(TimeSpan.FromHours(1)).SurveyAnswered(Channel.EMAIL, nps: 4, ces: 6),
            _anna.After(TimeSpan.FromHours(1)).ConsentChanged(Channel.EMAIL, Purpose.MARKETING, Channel.EMAIL, granted: false),
            _anna.ProfileUpdated(Channel.MOBILE_APP, "city", "Paris"),
            _anna.TicketOpened(Channel.WEB, "t-2"),
            _anna.TicketResolved(Channel.CALL_CENTER, "t-1"));

        Assert.That(state.ConsentFor(Purpose.MARKETING, Channel.EMAIL), Is.False);
        Assert.That(state.ConsentFor(Purpose.MARKETING, Channel.WEB), Is.Null);
        Assert.That(state.Profile["city"].Value, Is.EqualTo("Paris"));
        Assert.That(state.LastNps!.Score, Is.EqualTo(4));
        Assert.That(state.LastCes!.Score, Is.EqualTo(6));
        Assert.That(state.OpenTickets.Select(t => t.TicketId), Is.EqualTo(new[] { "t-2" }));
    }

    [Test]
    public void The_timeline_keeps_the_newest_interactions_of_every_channel()
    {
        var folder = new CustomerFold(new FoldOptions { TimelineLength = 3 });
        var events = new[] { Channel.WEB, Channel.STORE, Channel.EMAIL, Channel.MOBILE_APP }
            .Select(c => _anna.After(TimeSpan.FromMinutes(1)).PageViewed(c)).ToList();

        var state = folder.ApplyAll(new CustomerState("anna"), events);

        Assert.That(CustomerView.Of(state, _anna.Now, folder.Options).Timeline.Select(i => i.Channel), Is.EqualTo(new[] { Channel.MOBILE_APP, Channel.EMAIL, Channel.STORE }));
        Assert.That(state.Channels.Keys, Is.EquivalentTo(new[] { Channel.WEB, Channel.STORE, Channel.EMAIL, Channel.MOBILE_APP }));
        Assert.That(state.PreferredChannel, Is.EqualTo(Channel.MOBILE_APP), "equal activity: the latest wins");
    }

    [Test]
    public void Interactions_older_than_the_retention_leave_the_state()
    {
        var folder = new CustomerFold(new FoldOptions { Retention = TimeSpan.FromDays(30) });
        var state = folder.ApplyAll(new CustomerState("anna"),
            [_anna.ProductViewed(Channel.WEB, "sku-1"), _anna.After(TimeSpan.FromDays(31)).PageViewed(Channel.WEB)]);

        Assert.That(state.Timeline.Count, Is.EqualTo(1));
        Assert.That(state.ProductViews, Is.Empty);
    }

    [Test]
    public void The_stored_form_reads_back_to_an_equal_state()
    {
        var state = Fold(_anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)), _anna.ConsentChanged(Channel.WEB, Purpose.MARKETING, Channel.EMAIL, true));

        var bytes = CustomerStateCodec.Encode(state);

        Assert.That(CustomerStateCodec.Encode(CustomerStateCodec.Decode(bytes)), Is.EqualTo(bytes));
        Assert.That(CustomerStateCodec.Decode(bytes).Cart!.Lines.Single().UnitPrice, Is.EqualTo(10m));
    }

    [Test]
    public void Two_openings_of_a_ticket_at_the_same_time_on_two_channels_merge_alike_in_either_order()
    {
        var at = new DateTime(2026, 1, 7, 4, 54, 0, DateTimeKind.Utc);
        var inStore = new TicketRecord("t-3", "delivery", Channel.STORE, at, null, null);
        var inChat = new TicketRecord("t-3", "delivery", Channel.CHATBOT, at, null, null);

        Assert.That(inStore.Merge(inChat), Is.EqualTo(inChat.Merge(inStore)), "found by the arrival-order property (seed 17981925211567749567,7597156175643748823)");
    }
}
