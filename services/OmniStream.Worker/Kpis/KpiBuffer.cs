using OmniStream.Customers.Kpis;

namespace OmniStream.Worker.Kpis;

/// <summary>A task's KPI counts since its last commit, summed per cell (window and scope) as facts arrive.</summary>
public sealed class KpiBuffer : IKpiFacts
{
    private readonly Dictionary<KpiCell, KpiTally> _cells = [];
    // Tallies of cells taken, counting again for the next cells; and the list a take fills.
    private readonly Stack<KpiTally> _spare = new();
    private readonly List<KeyValuePair<KpiCell, KpiCounts>> _taken = [];

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
                _cells[cell] = tally = _spare.TryPop(out var spare) ? spare : new KpiTally();
            }
            tally.Add(fact.Counts);
        }
    }

    /// <summary>Returns the counts gathered so far, by cell, and starts afresh (the list returned is valid until the next take).</summary>
    public IReadOnlyList<KeyValuePair<KpiCell, KpiCounts>> Take()
    {
        _taken.Clear();
        foreach (var (cell, tally) in _cells)
        {
            _taken.Add(KeyValuePair.Create(cell, tally.Counts));
            tally.Clear();
            _spare.Push(tally);
        }
        _cells.Clear();
        return _taken;
    }
}
