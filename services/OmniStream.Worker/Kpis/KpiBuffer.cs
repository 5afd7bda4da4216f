using OmniStream.Customers.Kpis;

namespace OmniStream.Worker.Kpis;

/// <summary>A task's KPI counts since its last commit, summed per cell (window and scope).</summary>
public sealed class KpiBuffer
{
    private readonly Dictionary<string, KpiCounts> _cells = new(StringComparer.Ordinal);

    /// <summary>Adds the counts of <paramref name="facts"/> to every cell they count in.</summary>
    public void Add(IEnumerable<KpiFact> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        foreach (var fact in facts)
        {
            foreach (var cell in KpiCell.Of(fact))
            {
                var key = cell.ToString();
                _cells[key] = _cells.TryGetValue(key, out var counts) ? counts.Plus(fact.Counts) : fact.Counts;
            }
        }
    }

    /// <summary>Returns the counts gathered so far, by cell, and starts afresh.</summary>
    public IReadOnlyList<KeyValuePair<string, KpiCounts>> Take()
    {
        var taken = _cells.ToList();
        _cells.Clear();
        return taken;
    }
}
