using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Tests.State;

/// <summary>A state's footprint follows what it holds: a section counted again once it was written changed, an action as it is added, its texts shared.</summary>
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

    [Test]
    public void Actions_read_back_share_the_texts_the_policies_name_so_an_action_counts_no_copy_of_them()
    {
        var action = new ActionRecord(Guid.NewGuid(), ActionType.CART_REMINDER, Channel.EMAIL, At, new string("cart-reminder"), null, null,
            Variant: new string("short-subject"), Action: new string("cart_reminder"), Arm: new string("cart_reminder|cart_open"));
        var encoded = CustomerLayout.EncodeAction(action);
        var part = CustomerPart.Action(action.ActionId);

        var first = (ActionRecord)CustomerLayout.DecodePart(part, encoded);
        var second = (ActionRecord)CustomerLayout.DecodePart(part, encoded);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(action));
            Assert.That(second.ContentRef, Is.SameAs(first.ContentRef));
            Assert.That(second.Variant, Is.SameAs(first.Variant));
            Assert.That(second.Action, Is.SameAs(first.Action));
            Assert.That(second.Arm, Is.SameAs(first.Arm));
        });
    }

    [Test]
    public void An_action_of_a_legacy_format_is_interned_as_one_read_back_is()
    {
        var action = new ActionRecord(Guid.NewGuid(), ActionType.CART_REMINDER, Channel.EMAIL, At, new string("cart-reminder"), null, null,
            Variant: null, Action: new string("cart_reminder"), Arm: new string("cart_reminder|cart_open"));

        var interned = action.Interned();

        Assert.Multiple(() =>
        {
            Assert.That(interned, Is.EqualTo(action));
            Assert.That(interned.ContentRef, Is.SameAs(string.IsInterned("cart-reminder")));
            Assert.That(interned.Action, Is.SameAs(string.IsInterned("cart_reminder")));
            Assert.That(interned.Variant, Is.Null);
            Assert.That((action with { ContentRef = null! }).Interned().ContentRef, Is.Null, "a legacy JSON action may lack its content");
        });
    }

    private static ProductView View(string productId) => new(productId, "shoes", Channel.WEB, At, Guid.NewGuid());
}
