using System.Text;
using OmniStream.Schemas.Wire;

namespace OmniStream.Schemas.Tests.Wire;

public class RecentStringsTests
{
    [Test]
    public void A_short_ascii_string_read_again_is_the_same_instance()
    {
        var bytes = Encoding.UTF8.GetBytes("sku-" + Guid.NewGuid().ToString("N")[..8]);

        var first = RecentStrings.Of(bytes);

        Assert.That(first, Is.EqualTo(Encoding.UTF8.GetString(bytes)));
        Assert.That(RecentStrings.Of(bytes), Is.SameAs(first));
    }

    [TestCase("café")]
    [TestCase("東京")]
    [TestCase("a string longer than the thirty-two bytes kept")]
    [TestCase("")]
    public void Any_text_reads_as_what_its_bytes_say(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.That(RecentStrings.Of(bytes), Is.EqualTo(text));
        Assert.That(RecentStrings.Of(bytes), Is.EqualTo(text));
    }

    [Test]
    public void Strings_that_share_a_slot_never_stand_for_one_another()
    {
        // More strings than slots: many land on taken slots and replace what was there.
        var texts = Enumerable.Range(0, 20_000).Select(i => $"id-{i}").ToList();

        foreach (var text in texts.Concat(texts).Reverse())
        {
            Assert.That(RecentStrings.Of(Encoding.UTF8.GetBytes(text)), Is.EqualTo(text));
        }
    }
}
