using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Worker.Kpis;

/// <summary>
/// A task's KPI counts since its last commit, summed per cell (window and scope) as facts arrive; a segment's entries and
/// exits also move its running count of members (<see cref="SegmentMembers"/>), once per fact.
/// </summary>
public sealed class KpiBuffer : IKpiFacts
{
    private readonly Dictionary<KpiCell, KpiTally> _cells = [];
    private readonly Dictionary<KpiScope, KpiTally> _members = [];
    // Tallies of cells taken, counting again for the next cells once the take after is made; and the list a take fills.
    private readonly Stack<KpiTally> _spare = new();
    private readonly List<KeyValuePair<KpiCell, KpiTally>> _taken = [];
    private readonly List<KeyValuePair<KpiScope, KpiCounts>> _takenMembers = [];

    /// <summary>How many cells and segments' members hold counts.</summary>
    public int Count => _cells.Count + _members.Count;

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
        if (fact.Scope.Dimension == KpiDimension.SEGMENT && (fact.Counts.SegmentEntries != 0 || fact.Counts.SegmentExits != 0))
        {
            Members(fact.Scope).AddSegmentMoves(fact.Counts.SegmentEntries, fact.Counts.SegmentExits);
        }
    }

    /// <summary>Counts <paramref name="members"/> customers already in <paramref name="segment"/> as its members, in no window (a census of members that came in uncounted).</summary>
    public void CountMembers(KpiScope segment, long members) => Members(segment).AddSegmentMoves(members, 0);

    private KpiTally Members(KpiScope segment)
    {
        if (!_members.TryGetValue(segment, out var members))
        {
            _members[segment] = members = new KpiTally();
        }
        return members;
    }

    /// <summary>Returns the counts gathered so far, by cell, and starts afresh (the list and its tallies are valid until the next take).</summary>
    public List<KeyValuePair<KpiCell, KpiTally>> Take()
    {
        foreach (var (_, tally) in _taken)
        {
            tally.Clear();
            _spare.Push(tally);
        }
        _taken.Clear();
        foreach (var (cell, tally) in _cells)
        {
            _taken.Add(KeyValuePair.Create(cell, tally));
        }
        _cells.Clear();
        return _taken;
    }

    /// <summary>Returns the entries and exits gathered so far, by segment, and starts afresh (the list returned is valid until the next take).</summary>
    public IReadOnlyList<KeyValuePair<KpiScope, KpiCounts>> TakeMembers()
    {
        _takenMembers.Clear();
        foreach (var (segment, tally) in _members)
        {
            _takenMembers.Add(KeyValuePair.Create(segment, tally.Counts));
        }
        _members.Clear();
        return _takenMembers;
    }
}
