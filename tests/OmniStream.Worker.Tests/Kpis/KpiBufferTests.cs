using OmniStream.Customers.Kpis;
using OmniStream.Worker.Kpis;

namespace OmniStream.Worker.Tests.Kpis;

public sealed class KpiBufferTests
{
    private static readonly DateTime At = new(2026, 12, 6, 10, 15, 0, DateTimeKind.Utc);

    [Test]
    public void Each_take_holds_the_counts_since_the_one_before_and_cells_count_again_from_zero()
    {
        var buffer = new KpiBuffer();
        buffer.Add(new KpiFact(At, KpiScope.All, new KpiCounts(Journeys: 2)));
        buffer.Add(new KpiFact(At, KpiScope.All, new KpiCounts(Conversions: 1)));

        var first = Counts(buffer.Take());
        buffer.Add(new KpiFact(At, KpiScope.All, new KpiCounts(Journeys: 1)));
        var second = Counts(buffer.Take());

        Assert.That(first, Has.Count.EqualTo(KpiWindows.All.Count), "a cell per window");
        Assert.That(first.Select(c => c.Value).Distinct(), Is.EqualTo(new[] { new KpiCounts(Journeys: 2, Conversions: 1) }));
        Assert.That(second.Select(c => c.Key), Is.EqualTo(first.Select(c => c.Key)));
        Assert.That(second.Select(c => c.Value).Distinct(), Is.EqualTo(new[] { new KpiCounts(Journeys: 1) }), "nothing left from the take before");
        Assert.That(buffer.Count, Is.Zero);
    }

    [Test]
    public void A_segments_entries_and_exits_move_its_members_once_per_fact_and_count_in_every_window()
    {
        var buffer = new KpiBuffer();
        var vip = KpiScope.Segment("vip");
        buffer.Add(new KpiFact(At, vip, new KpiCounts(SegmentEntries: 1)));
        buffer.Add(new KpiFact(At, vip, new KpiCounts(SegmentEntries: 1)));
        buffer.Add(new KpiFact(At, vip, new KpiCounts(SegmentExits: 1)));
        buffer.Add(new KpiFact(At, vip, new KpiCounts(Journeys: 1)));
        buffer.Add(new KpiFact(At, KpiScope.All, new KpiCounts(Journeys: 1)));

        var members = buffer.TakeMembers().ToList();
        var cells = Counts(buffer.Take()).Where(c => c.Key.Scope == vip).ToList();

        Assert.That(members, Is.EqualTo(new[] { KeyValuePair.Create(vip, new KpiCounts(SegmentEntries: 2, SegmentExits: 1)) }), "journeys are not members");
        Assert.That(cells.Select(c => c.Value).Distinct(), Is.EqualTo(new[] { new KpiCounts(Journeys: 1, SegmentEntries: 2, SegmentExits: 1) }));
        Assert.That(cells, Has.Count.EqualTo(KpiWindows.All.Count));
        Assert.That(buffer.TakeMembers(), Is.Empty);
        Assert.That(buffer.Count, Is.Zero);
    }

    // A take's tallies count again after the next take: their counts, read now.
    private static List<KeyValuePair<KpiCell, KpiCounts>> Counts(List<KeyValuePair<KpiCell, KpiTally>> taken) =>
        [.. taken.Select(c => KeyValuePair.Create(c.Key, c.Value.Counts))];
}
