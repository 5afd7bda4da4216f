namespace OmniStream.Decisions.Tests;

public sealed class DeterministicIdTests
{
    [Test]
    public void A_trailing_guid_gives_the_id_of_its_text_as_the_last_part()
    {
        var eventId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        var id = DeterministicId.From(["next-best-action", "c-1", "cart_reminder", "cart_reminder/cart-9"], eventId);

        Assert.That(id, Is.EqualTo(DeterministicId.From("next-best-action", "c-1", "cart_reminder", "cart_reminder/cart-9", eventId.ToString())));
        Assert.That(DeterministicId.From([], eventId), Is.EqualTo(DeterministicId.From(eventId.ToString())));
    }

    [Test]
    public void Ids_are_version_8_and_differ_when_any_part_differs()
    {
        var id = DeterministicId.From("a", "b");

        Assert.That(id.Version, Is.EqualTo(8));
        Assert.That(id, Is.EqualTo(DeterministicId.From("a", "b")));
        Assert.That(id, Is.Not.EqualTo(DeterministicId.From("a", "c")));
        Assert.That(id, Is.Not.EqualTo(DeterministicId.From("ab")));
    }
}
