using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// The decisions of one record, and the actions and candidates of the record before, written into again: a task keeps
/// one, emptied before each record (an action is encoded and sent before the next record is decided).
/// </summary>
public sealed class DecisionList
{
    private readonly List<Decision> _decisions = [];
    private readonly Stack<NextBestAction> _spare = new();
    // The candidates of the decisions, the first _candidatesUsed of them this record's.
    private readonly List<Candidate> _candidates = [];
    private int _candidatesUsed;

    /// <summary>The decisions made since the list was last emptied.</summary>
    public IReadOnlyList<Decision> Decisions => _decisions;

    /// <summary>Empties the list; the actions it held are written into again by the next decisions.</summary>
    public void Clear()
    {
        foreach (var decision in _decisions)
        {
            if (decision.Action is { } action)
            {
                _spare.Push(action);
            }
        }
        _decisions.Clear();
        _candidatesUsed = 0;
    }

    internal void Add(Decision decision) => _decisions.Add(decision);

    // An action to fill: one of the record before, or a new one.
    internal NextBestAction NewAction() => _spare.TryPop(out var action) ? action : new NextBestAction();

    // A candidate to fill: one of a record before, or a new one.
    internal Candidate NewCandidate()
    {
        if (_candidatesUsed == _candidates.Count)
        {
            _candidates.Add(new Candidate());
        }
        return _candidates[_candidatesUsed++];
    }
}
