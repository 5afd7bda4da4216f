using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Tests.State;

/// <summary>A state's footprint follows what it holds: a section counted again once it was written changed, the actions once they changed.</summary>
public class CustomerFootprintTests
{
    private static readonly DateTime At = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    [Test]
    public void A_section_written_with_more_in_it_counts_more()
    {
        var state = new CustomerState("anna");
        state.ProductViews.Add(View("p-1"));
        state.StoredSections[StateSections.Views] = 11;
        var one = CustomerFootprint.Of(state);

        state.ProductViews.Add(View("a-product-with-a-long-id"));
        state.StoredSections[StateSections.Views] = 12;
        var two = CustomerFootprint.Of(state);

        Assert.That(two - one, Is.GreaterThan(100), "the second view and its id");
        Assert.That(CustomerFootprint.Of(state), Is.EqualTo(two), "counted again, the same");
    }

    [Test]
    public void A_section_never_stored_is_counted_every_time()
    {
        var state = new CustomerState("anna");
        var empty = CustomerFootprint.Of(state);

        state.ProductViews.Add(View("p-1"));

        Assert.That(CustomerFootprint.Of(state), Is.GreaterThan(empty));
    }

    [Test]
    public void An_action_added_counts_at_once()
    {
        var state = new CustomerState("anna");
        var before = CustomerFootprint.Of(state);

        state.Actions.Add(new ActionRecord(Guid.NewGuid(), ActionType.CART_REMINDER, Channel.EMAIL, At, "cart-reminder", null, null), 10);

        Assert.That(CustomerFootprint.Of(state), Is.GreaterThan(before + 100));
    }

    private static ProductView View(string productId) => new(productId, "shoes", Channel.WEB, At, Guid.NewGuid());
}
