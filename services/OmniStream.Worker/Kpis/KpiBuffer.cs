using OmniStream.Customers.Kpis;

namespace OmniStream.Worker.Kpis;

/// <summary>A task's KPI counts since its last commit, summed per cell (window and scope) as facts arrive.</summary>
public sealed class KpiBuffer : IKpiFacts
{
    private readonly Dictionary<KpiCell, KpiTally> _cells = [];

    /// <summary>How many cells hold counts.</summary>
    public int Count => _cells.Count;

    /// <summary>Adds the counts of <paramref name="fact"/> to every cell it counts in.</summary>
    public void Add(KpiFact fact)
    {
        for (var w = 0; w < KpiWindows.All.Count; w++)
        {
            var cell = KpiCell.Of(fact, KpiWindows.All[w]);
            if (!_cells.TryGetValue(cell, out var tally))
            {
                _cells[cell] = tally = new KpiTally();
            }
            tally.Add(fact.Counts);
        }
    }

    /// <summary>Returns the counts gathered so far, by cell, and starts afresh.</summary>
    public IReadOnlyList<KeyValuePair<KpiCell, KpiCounts>> Take()
    {
        var taken = _cells.Select(cell => KeyValuePair.Create(cell.Key, cell.Value.Counts)).ToList();
        _cells.Clear();
        return taken;
    }
}
