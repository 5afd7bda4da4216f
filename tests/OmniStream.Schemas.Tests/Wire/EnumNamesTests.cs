using OmniStream.Schemas.Contracts;

namespace OmniStream.Schemas.Tests.Wire;

public sealed class EnumNamesTests
{
    [Test]
    public void Every_symbol_is_named_as_its_text_and_a_value_outside_them_by_its_number()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Enum.GetValues<Channel>().Select(EnumNames.Of), Is.EqualTo(Enum.GetValues<Channel>().Select(c => c.ToString())));
            Assert.That(Enum.GetValues<ActionType>().Select(EnumNames.Of), Is.EqualTo(Enum.GetValues<ActionType>().Select(a => a.ToString())));
            Assert.That(EnumNames.Of((Channel)99), Is.EqualTo("99"));
            Assert.That(EnumNames.Of(DayOfWeek.Friday), Is.EqualTo("Friday"));
            Assert.That(EnumNames.Of(System.IO.FileAttributes.Hidden), Is.EqualTo("Hidden"), "an enum whose values are not 0 to n - 1");
        });
    }
}
