using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

public class WatermarkTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    [Test]
    public void A_watermark_reads_back_as_written()
    {
        var watermark = new Watermark(48, [new("omni.interactions.web", 3, T0), new("omni.interactions.store", 0, T0.AddSeconds(1))]);

        var read = Watermark.Decode(watermark.Encode());

        Assert.That(read.SourcePartitions, Is.EqualTo(48));
        Assert.That(read.Sources, Is.EqualTo(watermark.Sources));
    }

    [TestCase(new byte[0], "version 1")]
    [TestCase(new byte[] { 2, 0, 0, 0, 1, 0, 0, 0, 0 }, "version 2")]
    [TestCase(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 2 }, "2 sources of 1")]
    [TestCase(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 65 }, "cannot hold 1 sources")]
    [TestCase(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "truncated")]
    [TestCase(new byte[] { 1, 127, 255, 255, 255, 127, 255, 255, 255, 0, 1, 65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "cannot hold 2147483647 sources")]
    public void A_malformed_watermark_is_refused_naming_what_is_wrong(byte[] bytes, string expected)
    {
        Assert.That(() => Watermark.Decode(bytes), Throws.TypeOf<FormatException>().With.Message.Contains(expected));
    }

    [Test]
    public void Upstream_time_waits_for_every_source_and_is_the_slowest_one()
    {
        var upstream = new UpstreamProgress();
        upstream.Apply(new Watermark(2, [new("in", 0, T0.AddSeconds(5))]));
        Assert.That(upstream.Time, Is.EqualTo(DateTime.MinValue), "one source of two has reported");

        upstream.Apply(new Watermark(2, [new("in", 1, T0.AddSeconds(2))]));
        Assert.That(upstream.Time, Is.EqualTo(T0.AddSeconds(2)));

        // The partition moved to an instance that has not caught up yet: its time does not go back.
        upstream.Apply(new Watermark(2, [new("in", 1, T0)]));
        Assert.That(upstream.Time, Is.EqualTo(T0.AddSeconds(2)));
    }
}
