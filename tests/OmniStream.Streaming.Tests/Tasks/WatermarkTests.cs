using OmniStream.Streaming.Tasks;

namespace OmniStream.Streaming.Tests.Tasks;

public class WatermarkTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    [Test]
    public void A_watermark_reads_back_as_written()
    {
        var watermark = new Watermark("ingest", 48, [new("omni.interactions.web", 3, T0), new("omni.interactions.store", 0, T0.AddSeconds(1))]);

        var read = Watermark.Decode(watermark.Encode());

        Assert.That(read.Stage, Is.EqualTo("ingest"));
        Assert.That(read.SourcePartitions, Is.EqualTo(48));
        Assert.That(read.Sources, Is.EqualTo(watermark.Sources));
    }

    [TestCase(new byte[0], "version 2")]
    [TestCase(new byte[] { 3, 0, 0, 0, 1, 0, 0, 0, 0 }, "version 3")]
    [TestCase(new byte[] { 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 }, "its stage")]
    [TestCase(new byte[] { 2, 0, 1, 65, 0, 0, 0, 1 }, "two counts")]
    [TestCase(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 2 }, "2 sources of 1")]
    [TestCase(new byte[] { 2, 0, 1, 65, 0, 0, 0, 1, 0, 0, 0, 2 }, "2 sources of 1")]
    [TestCase(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 65 }, "cannot hold 1 sources")]
    [TestCase(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "truncated")]
    [TestCase(new byte[] { 1, 127, 255, 255, 255, 127, 255, 255, 255, 0, 1, 65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "cannot hold 2147483647 sources")]
    public void A_malformed_watermark_is_refused_naming_what_is_wrong(byte[] bytes, string expected)
    {
        Assert.That(() => Watermark.Decode(bytes), Throws.TypeOf<FormatException>().With.Message.Contains(expected));
    }

    [Test]
    public void A_watermark_of_version_1_reads_as_from_no_stage()
    {
        byte[] version1 = [1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2, (byte)'i', (byte)'n', 0, 0, 0, 1, .. BitConverter.GetBytes(T0.Ticks).Reverse()];

        var read = Watermark.Decode(version1);

        Assert.That(read.Stage, Is.Empty);
        Assert.That(read.Sources, Is.EqualTo(new[] { new SourceProgress("in", 1, T0) }));
    }

    [Test]
    public void Upstream_time_waits_for_every_source_and_is_the_slowest_one()
    {
        var upstream = new UpstreamProgress(["first"]);
        upstream.Apply(new Watermark("first", 2, [new("in", 0, T0.AddSeconds(5))]));
        Assert.That(upstream.Time, Is.EqualTo(DateTime.MinValue), "one source of two has reported");

        upstream.Apply(new Watermark("first", 2, [new("in", 1, T0.AddSeconds(2))]));
        Assert.That(upstream.Time, Is.EqualTo(T0.AddSeconds(2)));

        // The partition moved to an instance that has not caught up yet: its time does not go back.
        upstream.Apply(new Watermark("first", 2, [new("in", 1, T0)]));
        Assert.That(upstream.Time, Is.EqualTo(T0.AddSeconds(2)));
    }

    [Test]
    public void Upstream_time_waits_for_every_stage_that_feeds_this_one_and_ignores_the_others()
    {
        var upstream = new UpstreamProgress(["ingest", "identity"]);

        Assert.That(upstream.Apply(new Watermark("ingest", 1, [new("omni.interactions.web", 0, T0.AddSeconds(5))])), Is.True);
        Assert.That(upstream.Time, Is.EqualTo(DateTime.MinValue), "identity has not reported");
        Assert.That(upstream.Apply(new Watermark("", 1, [new("ingest-repartition", 0, T0.AddSeconds(9))])), Is.False, "version 1: no stage named");
        Assert.That(upstream.Apply(new Watermark("kpis", 1, [new("ingest-repartition", 0, T0.AddSeconds(9))])), Is.False, "a stage that does not feed this one");
        Assert.That(upstream.Time, Is.EqualTo(DateTime.MinValue));

        upstream.Apply(new Watermark("identity", 1, [new("ingest-repartition", 0, T0.AddSeconds(3))]));
        Assert.That(upstream.Time, Is.EqualTo(T0.AddSeconds(3)), "the slower of the two stages");
    }
}
