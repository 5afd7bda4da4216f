using OmniStream.Streaming.Telemetry;

namespace OmniStream.Streaming.Tests.Telemetry;

public class PartitionLagTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 9, 0, 10, DateTimeKind.Utc);

    [Test]
    public void Behind_by_records_and_by_the_age_of_the_last_processed_record() =>
        Assert.That(PartitionLag.Of(position: 90, highWatermark: 100, lastProcessedTimestamp: Now.AddSeconds(-4), Now), Is.EqualTo(new PartitionLag(10, 4)));

    [Test]
    public void Caught_up_is_zero_whatever_the_age_of_the_last_record() =>
        Assert.That(PartitionLag.Of(100, 100, Now.AddHours(-1), Now), Is.EqualTo(new PartitionLag(0, 0)));

    [Test]
    public void Nothing_read_yet_from_a_filled_partition_is_the_whole_partition() =>
        Assert.That(PartitionLag.Of(position: null, highWatermark: 42, lastProcessedTimestamp: null, Now), Is.EqualTo(new PartitionLag(42, 0)));

    [Test]
    public void An_empty_or_unfetched_partition_has_no_lag() =>
        Assert.That(PartitionLag.Of(null, null, null, Now), Is.EqualTo(new PartitionLag(0, 0)));
}
