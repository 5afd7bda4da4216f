using System.Buffers.Binary;
using System.Text;
using OmniStream.Customers.Kpis;

namespace OmniStream.Customers.Tests.Kpis;

/// <summary>Every stored form of KPI counts is read: the current twelve counts, the ten before segment entries and exits, and JSON.</summary>
public class KpiCodecTests
{
    private static readonly KpiCounts Every = new(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

    [Test]
    public void Counts_written_now_read_back_whole()
    {
        var bytes = KpiCodec.Encode(Every);

        Assert.That(bytes[0], Is.EqualTo(KpiCodec.Binary));
        Assert.That(KpiCodec.DecodeCounts(bytes), Is.EqualTo(Every));
    }

    [Test]
    public void Counts_without_segment_moves_are_written_as_a_version_before_them_reads_them()
    {
        var counts = Every with { SegmentEntries = 0, SegmentExits = 0 };

        var bytes = KpiCodec.Encode(counts);

        Assert.That((bytes[0], bytes.Length), Is.EqualTo((KpiCodec.BinaryBefore, 1 + KpiCodec.CountsBefore * sizeof(long))));
        Assert.That(KpiCodec.DecodeCounts(bytes), Is.EqualTo(counts));
    }

    [Test]
    public void Counts_of_the_format_before_segment_moves_read_with_none_of_them()
    {
        var bytes = new byte[1 + KpiCodec.CountsBefore * sizeof(long)];
        bytes[0] = KpiCodec.BinaryBefore;
        for (var i = 0; i < KpiCodec.CountsBefore; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1 + i * sizeof(long)), i + 1);
        }
        var tally = new KpiTally();
        KpiCodec.AddTo(tally, bytes);
        KpiCodec.AddTo(tally, KpiCodec.Encode(Every));

        Assert.That(KpiCodec.DecodeCounts(bytes), Is.EqualTo(Every with { SegmentEntries = 0, SegmentExits = 0 }));
        Assert.That(tally.Counts, Is.EqualTo(Every.Plus(Every with { SegmentEntries = 0, SegmentExits = 0 })));
    }

    [Test]
    public void Counts_written_as_json_still_read()
    {
        Assert.That(KpiCodec.DecodeCounts(Encoding.UTF8.GetBytes("""{"journeys":3,"conversions":1}""")), Is.EqualTo(new KpiCounts(Journeys: 3, Conversions: 1)));
    }

    [Test]
    public void Bytes_that_are_not_counts_are_refused_with_what_is_wrong()
    {
        var truncated = KpiCodec.Encode(Every)[..20];

        Assert.That(() => KpiCodec.DecodeCounts(truncated), Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith("not KPI counts"));
    }
}
