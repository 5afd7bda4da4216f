using OmniStream.Customers.Identity;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Tests.Identity;

public class IdentityResolverTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
    // NUnit runs every test of a fixture on one instance: the links start empty for each.
    private readonly Dictionary<string, string> _links = [];

    [SetUp]
    public void ForgetLinks() => _links.Clear();

    private IdentityDecision Resolve(InteractionEvent interaction) =>
        IdentityResolver.Resolve(interaction, id => _links.GetValueOrDefault(id));

    private static InteractionEvent Event(Subject subject, object payload) => new()
    {
        eventId = Guid.NewGuid(),
        occurredAt = T0,
        receivedAt = T0,
        channel = Channel.WEB,
        subject = subject,
        payload = payload,
    };

    private static InteractionEvent Browse(string anonymousId) =>
        Event(new Subject { anonymousId = anonymousId }, new PageViewed { location = "/" });

    private static InteractionEvent Login(string anonymousId, string customerId) =>
        Event(new Subject { anonymousId = anonymousId, customerId = customerId }, new Identified { anonymousId = anonymousId, customerId = customerId, method = "login" });

    [Test]
    public void An_event_that_names_its_customer_and_ties_no_id_needs_no_resolution_and_goes_where_resolution_would_send_it()
    {
        _links["cookie-1"] = "someone-else";
        var named = Event(new Subject { customerId = "anna", anonymousId = "cookie-1" }, new PageViewed { location = "/" });

        Assert.That(IdentityResolver.NamedCustomer(named), Is.EqualTo("anna"));
        Assert.That(Resolve(named).RouteTo, Is.EqualTo("anna"), "whatever the links say");
        Assert.That(IdentityResolver.NamedCustomer(Login("cookie-2", "anna")), Is.Null, "a link to record");
        Assert.That(IdentityResolver.NamedCustomer(Browse("cookie-3")), Is.Null, "an id to resolve");
        Assert.That(IdentityResolver.NamedCustomer(Event(new Subject { customerId = " ", deviceId = "car-1" }, new PageViewed { location = "/" })), Is.Null, "a blank customer id");
    }

    [Test]
    public void An_anonymous_visitor_stays_under_their_own_id_until_identified()
    {
        Assert.That(Resolve(Browse("cookie-1")), Is.EqualTo(new IdentityDecision("cookie-1")));
    }

    [Test]
    public void A_login_links_the_id_and_merges_what_was_gathered_under_it()
    {
        var login = Login("cookie-1", "anna");

        var decision = Resolve(login);

        Assert.That(decision.RouteTo, Is.EqualTo("anna"));
        Assert.That(decision.NewLink, Is.EqualTo(new IdentityLink("cookie-1", "anna", "login", T0, login.eventId)));
        Assert.That(decision.MergeFrom, Is.EqualTo("cookie-1"));
        Assert.That(decision.Conflict, Is.Null);
    }

    [Test]
    public void Later_events_of_a_linked_id_go_straight_to_the_customer()
    {
        _links["cookie-1"] = "anna";

        Assert.That(Resolve(Browse("cookie-1")), Is.EqualTo(new IdentityDecision("anna")));
    }

    [Test]
    public void A_repeated_link_changes_nothing()
    {
        _links["cookie-1"] = "anna";

        Assert.That(Resolve(Login("cookie-1", "anna")), Is.EqualTo(new IdentityDecision("anna")));
    }

    [Test]
    public void A_link_to_another_customer_is_refused_and_reported()
    {
        _links["cookie-1"] = "anna";
        var login = Login("cookie-1", "bob");

        var decision = Resolve(login);

        Assert.That(decision.NewLink, Is.Null, "an id belongs to one customer");
        Assert.That(decision.MergeFrom, Is.Null);
        Assert.That(decision.Conflict, Is.EqualTo(new LinkConflict("cookie-1", "anna", "bob", login.eventId)));
        Assert.That(decision.RouteTo, Is.EqualTo("bob"), "the login itself is still Bob's");
    }

    [Test]
    public void An_event_with_a_customer_id_belongs_to_that_customer_whatever_else_it_carries()
    {
        _links["cookie-1"] = "anna";

        var decision = Resolve(Event(new Subject { customerId = "bob", anonymousId = "cookie-1" }, new PageViewed { location = "/" }));

        Assert.That(decision, Is.EqualTo(new IdentityDecision("bob")));
    }
}
