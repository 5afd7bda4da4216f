using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Customers.Tests.State;

public class CustomerMergeTests
{
    private static readonly CustomerFold Folder = new(new FoldOptions());
    private static readonly CustomerMerge Merger = new(Folder);

    [Test]
    public void What_a_visitor_did_anonymously_joins_the_customer_and_the_cart_moves_to_where_they_logged_in()
    {
        var visitor = Interactions.Anonymous("cookie-1");
        var anonymous = Folder.ApplyAll(new CustomerState("cookie-1"),
            [visitor.ProductViewed(Channel.WEB, "sku-1"), visitor.After(TimeSpan.FromMinutes(1)).CartUpdated(Channel.WEB, ("sku-1", 1, 30m))]);
        var anna = new Interactions("anna", visitor.Now.AddMinutes(5));
        var customer = Folder.ApplyAll(new CustomerState("anna"), [anna.Identified(Channel.MOBILE_APP, "cookie-1")]);

        Assert.That(Merger.Merge(customer, anonymous), Is.True);
        var merged = customer;

        Assert.That(merged.CustomerId, Is.EqualTo("anna"));
        Assert.That(merged.LinkedIds, Is.EqualTo(new[] { "cookie-1" }));
        Assert.That(merged.Cart!.Lines.Single().ProductId, Is.EqualTo("sku-1"));
        Assert.That(merged.Cart.Channel, Is.EqualTo(Channel.MOBILE_APP));
        Assert.That(merged.ProductViews.Single().ProductId, Is.EqualTo("sku-1"));
        Assert.That(merged.Timeline.Count, Is.EqualTo(3));
        Assert.That(merged.Channels[Channel.WEB].Interactions, Is.EqualTo(2));
    }

    [Test]
    public void A_state_merged_a_second_time_changes_nothing()
    {
        var visitor = Interactions.Anonymous("cookie-1");
        var anonymous = Folder.ApplyAll(new CustomerState("cookie-1"),
            [visitor.PageViewed(Channel.WEB), visitor.After(TimeSpan.FromMinutes(1)).CartUpdated(Channel.WEB, ("sku-1", 1, 30m))]);
        var anna = new Interactions("anna", visitor.Now.AddMinutes(5));
        var customer = Folder.ApplyAll(new CustomerState("anna"), [anna.Identified(Channel.WEB, "cookie-1")]);

        Assert.That(Merger.Merge(customer, anonymous), Is.True);
        var once = CustomerStateCodec.Encode(customer);

        Assert.That(Merger.Merge(customer, anonymous), Is.False, "merged already");
        Assert.That(customer.Absorbed, Is.EqualTo(new[] { "cookie-1" }));
        Assert.That(customer.Channels[Channel.WEB].Interactions, Is.EqualTo(3));
        Assert.That(CustomerStateCodec.Encode(customer), Is.EqualTo(once));
    }

    [Test]
    public void An_event_both_the_visitor_and_the_customer_hold_counts_once()
    {
        var visitor = Interactions.Anonymous("cookie-1");
        var viewed = visitor.PageViewed(Channel.WEB);
        var carted = visitor.After(TimeSpan.FromMinutes(1)).CartUpdated(Channel.WEB, ("sku-1", 1, 30m));
        var anonymous = Folder.ApplyAll(new CustomerState("cookie-1"), [viewed, carted]);
        var anna = new Interactions("anna", visitor.Now.AddMinutes(5));
        // Replayed with the link known, the cart update also reached the customer directly.
        var customer = Folder.ApplyAll(new CustomerState("anna"), [anna.Identified(Channel.MOBILE_APP, "cookie-1"), carted]);

        Assert.That(Merger.Merge(customer, anonymous), Is.True);

        Assert.That(customer.Timeline.Count, Is.EqualTo(3));
        Assert.That(customer.Channels[Channel.WEB].Interactions, Is.EqualTo(2), "the page view and the cart update, once each");
        Assert.That(customer.Channels[Channel.MOBILE_APP].Interactions, Is.EqualTo(1));
    }

    [Test]
    public void A_newer_cart_of_the_customer_wins_over_the_anonymous_one()
    {
        var visitor = Interactions.Anonymous("cookie-1");
        var anonymous = Folder.ApplyAll(new CustomerState("cookie-1"), [visitor.CartUpdated(Channel.WEB, ("sku-old", 1, 5m))]);
        var anna = new Interactions("anna", visitor.Now.AddMinutes(5));
        var customer = Folder.ApplyAll(new CustomerState("anna"), [anna.CartUpdated(Channel.STORE, ("sku-new", 1, 9m))]);

        Merger.Merge(customer, anonymous);

        Assert.That(customer.Cart!.Lines.Single().ProductId, Is.EqualTo("sku-new"));
        Assert.That(customer.Cart.Channel, Is.EqualTo(Channel.STORE));
    }
}
