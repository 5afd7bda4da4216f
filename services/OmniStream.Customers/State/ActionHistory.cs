using System.Collections;

namespace OmniStream.Customers.State;

/// <summary>
/// The actions decided for a customer, newest first, with what changed since the last commit: the
/// actions added or changed (an outcome, a conversion), to write, and those that fell out of the
/// bound, to delete.
/// </summary>
public sealed class ActionHistory : IReadOnlyList<ActionRecord>
{
    private readonly List<ActionRecord> _newestFirst = [];
    // Since the last commit: actions new (not stored yet), stored actions changed, stored actions dropped.
    // Lists, not sets: a commit sees one or two actions of a customer, and a set costs five times the bytes. Made at a
    // customer's first change and emptied, not dropped, after each commit: a customer decided for once is decided for again.
    private List<Guid>? _added;
    private List<Guid>? _changed;
    private List<Guid>? _removed;

    /// <inheritdoc />
    public int Count => _newestFirst.Count;

    /// <inheritdoc />
    public ActionRecord this[int index] => _newestFirst[index];

    /// <summary>The actions added or changed since the last commit.</summary>
    public IEnumerable<ActionRecord> Changed => !HasChanges
        ? []
        : _newestFirst.Where(a => _added?.Contains(a.ActionId) == true || _changed?.Contains(a.ActionId) == true);

    /// <summary>Calls <paramref name="write"/> with each action added or changed since the last commit (no allocation).</summary>
    public void ForEachChanged<TState>(TState state, Action<TState, ActionRecord> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (!HasChanges)
        {
            return;
        }
        for (var i = 0; i < _newestFirst.Count; i++)
        {
            var action = _newestFirst[i];
            if (_added?.Contains(action.ActionId) == true || _changed?.Contains(action.ActionId) == true)
            {
                write(state, action);
            }
        }
    }

    /// <summary>The actions dropped since the last commit.</summary>
    public IReadOnlyList<Guid> Removed => _removed ?? (IReadOnlyList<Guid>)[];

    /// <summary>The position of action <paramref name="actionId"/>, or -1.</summary>
    public int IndexOf(Guid actionId) => _newestFirst.FindIndex(a => a.ActionId == actionId);

    /// <summary>The position of the newest action that meets <paramref name="match"/>, or -1.</summary>
    public int FindIndex(Predicate<ActionRecord> match) => _newestFirst.FindIndex(match);

    /// <summary>Records an action in its place among the newest <paramref name="limit"/>; false when it is held already or too old to keep.</summary>
    public bool Add(ActionRecord action, int limit)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!Stamped.InsertNewest(_newestFirst, action, limit, out var dropped))
        {
            return false;
        }
        (_added ??= new(1)).Add(action.ActionId);
        if (dropped is not null)
        {
            Forget(dropped.ActionId);
        }
        return true;
    }

    /// <summary>Replaces the action at <paramref name="index"/> by its new version (same id).</summary>
    public void Replace(int index, ActionRecord updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        _newestFirst[index] = updated;
        if (_added?.Contains(updated.ActionId) != true && _changed?.Contains(updated.ActionId) != true)
        {
            (_changed ??= new(1)).Add(updated.ActionId);
        }
    }

    /// <summary>Adds an action read from the store (nothing to write for it).</summary>
    public void AddStored(ActionRecord action)
    {
        Stamped.InsertNewest(_newestFirst, action, int.MaxValue, out _);
    }

    /// <summary>Drops every action (a merge moved them elsewhere, or the customer is erased); they are deleted at the next commit.</summary>
    public void Clear()
    {
        foreach (var action in _newestFirst)
        {
            Forget(action.ActionId);
        }
        _newestFirst.Clear();
    }

    /// <summary>After the changes were written.</summary>
    public void MarkWritten()
    {
        _added?.Clear();
        _changed?.Clear();
        _removed?.Clear();
    }

    /// <inheritdoc />
    public IEnumerator<ActionRecord> GetEnumerator() => _newestFirst.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private bool HasChanges => _added?.Count > 0 || _changed?.Count > 0;

    // A dropped action never written needs no delete.
    private void Forget(Guid actionId)
    {
        if (_added?.Remove(actionId) != true)
        {
            _changed?.Remove(actionId);
            (_removed ??= []).Add(actionId);
        }
    }
}
