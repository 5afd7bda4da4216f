using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>
/// The decisions of one record, and the actions of the record before, written into again: a task keeps
/// one, emptied before each record (an action is encoded and sent before the next record is decided).
/// </summary>
public sealed class DecisionList
{
    private readonly List<Decision> _decisions = [];
    private readonly Stack<NextBestAction> _spare = new();

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
    }

    internal void Add(Decision decision) => _decisions.Add(decision);

    // An action to fill: one of the record before, or a new one.
    internal NextBestAction NewAction() => _spare.TryPop(out var action) ? action : new NextBestAction();
}
