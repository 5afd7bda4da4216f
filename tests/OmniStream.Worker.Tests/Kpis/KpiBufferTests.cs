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

        var first = buffer.Take().ToList();
        buffer.Add(new KpiFact(At, KpiScope.All, new KpiCounts(Journeys: 1)));
        var second = buffer.Take().ToList();

        Assert.That(first, Has.Count.EqualTo(KpiWindows.All.Count), "a cell per window");
        Assert.That(first.Select(c => c.Value).Distinct(), Is.EqualTo(new[] { new KpiCounts(Journeys: 2, Conversions: 1) }));
        Assert.That(second.Select(c => c.Key), Is.EqualTo(first.Select(c => c.Key)));
        Assert.That(second.Select(c => c.Value).Distinct(), Is.EqualTo(new[] { new KpiCounts(Journeys: 1) }), "nothing left from the take before");
        Assert.That(buffer.Count, Is.Zero);
    }
}
