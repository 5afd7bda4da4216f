namespace OmniStream.Customers.State;

/// <summary>
/// A customer's timeline as the working state holds it: the time and event id of every line, newest
/// first, the lines added since the last commit held whole until they are written (and stored lines
/// whole when read for a view or a merge), and the stored lines trimmed since then, to delete. A line is kept while it is among the newest the
/// timeline shows or within the lateness bound, so the lines also tell which events were folded
/// (duplicates are dropped by id); no line is read from the store for that.
/// </summary>
public sealed class TimelineLines
{
    private readonly List<TimelineEntry> _newestFirst = [];
    private List<Guid>? _removed;

    /// <summary>How many lines are held.</summary>
    public int Count => _newestFirst.Count;

    /// <summary>Every line held, newest first.</summary>
    public IReadOnlyList<TimelineEntry> Entries => _newestFirst;

    /// <summary>The stored lines trimmed since the last commit, whose parts are to be deleted.</summary>
    public IReadOnlyList<Guid> Removed => _removed ?? (IReadOnlyList<Guid>)[];

    /// <summary>The lines added since the last commit, to write.</summary>
    public IEnumerable<InteractionRecord> Unwritten => _newestFirst.Where(e => !e.Stored).Select(e => e.Line!);

    /// <summary>Calls <paramref name="write"/> with each line added since the last commit (no allocation).</summary>
    public void ForEachUnwritten<TState>(TState state, Action<TState, InteractionRecord> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        for (var i = 0; i < _newestFirst.Count; i++)
        {
            if (!_newestFirst[i].Stored)
            {
                write(state, _newestFirst[i].Line!);
            }
        }
    }

    /// <summary>The lines held whole, newest first (every line of a state read for a view or a merge).</summary>
    public IEnumerable<InteractionRecord> Lines => _newestFirst.Where(e => e.Line is not null).Select(e => e.Line!);

    /// <summary>Whether a line of event <paramref name="eventId"/> at or after <paramref name="notBefore"/> is held.</summary>
    public bool Holds(Guid eventId, DateTime notBefore)
    {
        foreach (var entry in _newestFirst)
        {
            if (entry.At < notBefore)
            {
                return false;
            }
            if (entry.EventId == eventId)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Adds a new line in its place; false when a line of the same event is held already.</summary>
    public bool Add(InteractionRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Insert(new TimelineEntry(line.At, line.EventId, line, Stored: false));
    }

    /// <summary>Adds a line that is stored already, by its time and event (and whole, when read whole).</summary>
    public void AddStored(DateTime at, Guid eventId, InteractionRecord? line = null) => Insert(new TimelineEntry(at, eventId, line, Stored: true));

    /// <summary>Holds a stored line whole (read for a hand-over); false when no line of its event is held.</summary>
    public bool Hold(InteractionRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var index = _newestFirst.FindIndex(e => e.EventId == line.EventId);
        if (index < 0)
        {
            return false;
        }
        _newestFirst[index] = _newestFirst[index] with { Line = line };
        return true;
    }

    /// <summary>
    /// Keeps the lines from <paramref name="retentionCutoff"/> on that are among the
    /// <paramref name="newest"/> or from <paramref name="lateCutoff"/> on; stored lines dropped are
    /// deleted at the next commit.
    /// </summary>
    public void Trim(DateTime lateCutoff, DateTime retentionCutoff, int newest)
    {
        for (var i = _newestFirst.Count - 1; i >= 0; i--)
        {
            var entry = _newestFirst[i];
            if (entry.At >= retentionCutoff && (i < newest || entry.At >= lateCutoff))
            {
                // Older lines come after: the rest of the list is kept too.
                return;
            }
            _newestFirst.RemoveAt(i);
            if (entry.Stored)
            {
                (_removed ??= []).Add(entry.EventId);
            }
        }
    }

    /// <summary>Removes every line (a merge moved them elsewhere, or the customer is erased); stored ones are deleted at the next commit.</summary>
    public void Clear() => Trim(DateTime.MaxValue, DateTime.MaxValue, 0);

    /// <summary>Drops every line without deleting any: the lines held are not this state's to delete (a hand-over's index).</summary>
    internal void Forget()
    {
        _newestFirst.Clear();
        _removed = null;
    }

    /// <summary>After the lines were written: every line held is stored (and no longer held whole), nothing waits to be deleted.</summary>
    public void MarkWritten()
    {
        for (var i = 0; i < _newestFirst.Count; i++)
        {
            if (_newestFirst[i].Line is not null)
            {
                _newestFirst[i] = new TimelineEntry(_newestFirst[i].At, _newestFirst[i].EventId, null, Stored: true);
            }
        }
        _removed = null;
    }

    private bool Insert(TimelineEntry entry)
    {
        // Stored lines are read newest first: each goes last, with no place to look for.
        if (_newestFirst.Count == 0 || _newestFirst[^1].IsNewerThan(entry) && !Contains(entry.EventId))
        {
            _newestFirst.Add(entry);
            return true;
        }
        var index = 0;
        for (; index < _newestFirst.Count; index++)
        {
            var held = _newestFirst[index];
            if (held.EventId == entry.EventId)
            {
                return false;
            }
            if (entry.IsNewerThan(held))
            {
                break;
            }
        }
        for (var i = index; i < _newestFirst.Count; i++)
        {
            if (_newestFirst[i].EventId == entry.EventId)
            {
                return false;
            }
        }
        _newestFirst.Insert(index, entry);
        return true;
    }

    private bool Contains(Guid eventId)
    {
        for (var i = 0; i < _newestFirst.Count; i++)
        {
            if (_newestFirst[i].EventId == eventId)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>One line of a customer's timeline, as the working state holds it.</summary>
/// <param name="At">The event's time.</param>
/// <param name="EventId">The event.</param>
/// <param name="Line">The line itself, while it waits to be written or when read whole; null otherwise.</param>
/// <param name="Stored">True once the line is in the store.</param>
public readonly record struct TimelineEntry(DateTime At, Guid EventId, InteractionRecord? Line, bool Stored)
{
    /// <summary>Ordered as every stamped list is: later time first, then the greater event id.</summary>
    public bool IsNewerThan(TimelineEntry other) => At != other.At ? At > other.At : EventId.CompareTo(other.EventId) > 0;
}
