namespace OmniStream.Customers.State;

/// <summary>
/// A customer's timeline as the working state holds it: the time and event id of every line, newest
/// first, the lines added since the last commit held in their stored form until they are written (and
/// stored lines whole when read for a view or a merge), and the stored lines trimmed since then, to delete. A line is kept while it is among the newest the
/// timeline shows or within the lateness bound, so the lines also tell which events were folded
/// (duplicates are dropped by id); no line is read from the store for that.
/// </summary>
public sealed class TimelineLines
{
    // Every line's time and event, newest first: 24 bytes a line (a list of whole entries took 40, grown at every event of a new customer).
    private readonly List<(DateTime At, Guid EventId)> _newestFirst = [];
    // The lines added since the last commit (kept, emptied at each commit), and stored lines held whole for a view or a merge.
    private List<(Guid EventId, byte[] Value)>? _unwritten;
    private Dictionary<Guid, InteractionRecord>? _held;
    private List<Guid>? _removed;

    /// <summary>How many lines are held.</summary>
    public int Count => _newestFirst.Count;

    /// <summary>Every line held, newest first (made on each call: for views, merges and hand-overs).</summary>
    public IReadOnlyList<TimelineEntry> Entries
    {
        get
        {
            var entries = new List<TimelineEntry>(_newestFirst.Count);
            foreach (var (at, eventId) in _newestFirst)
            {
                var added = IndexOfUnwritten(eventId);
                var line = added >= 0 ? Decoded(_unwritten![added]) : _held?.GetValueOrDefault(eventId);
                entries.Add(new TimelineEntry(at, eventId, line, Stored: added < 0));
            }
            return entries;
        }
    }

    /// <summary>The stored lines trimmed since the last commit, whose parts are to be deleted.</summary>
    public IReadOnlyList<Guid> Removed => _removed ?? (IReadOnlyList<Guid>)[];

    /// <summary>The lines added since the last commit, to write, newest first.</summary>
    public IEnumerable<InteractionRecord> Unwritten => Entries.Where(e => !e.Stored).Select(e => e.Line!);

    /// <summary>Calls <paramref name="write"/> with the event and stored value of each line added since the last commit (no allocation).</summary>
    public void ForEachUnwritten<TState>(TState state, Action<TState, Guid, byte[]> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        for (var i = 0; i < (_unwritten?.Count ?? 0); i++)
        {
            var (eventId, value) = _unwritten![i];
            write(state, eventId, value);
        }
    }

    /// <summary>The lines held whole, newest first (every line of a state read for a view or a merge).</summary>
    public IEnumerable<InteractionRecord> Lines => Entries.Where(e => e.Line is not null).Select(e => e.Line!);

    /// <summary>Whether a line of event <paramref name="eventId"/> at or after <paramref name="notBefore"/> is held.</summary>
    public bool Holds(Guid eventId, DateTime notBefore)
    {
        foreach (var (at, id) in _newestFirst)
        {
            if (at < notBefore)
            {
                return false;
            }
            if (id == eventId)
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
        return Add(line.At, line.EventId, CustomerLayout.EncodeLine(line));
    }

    /// <summary>
    /// Adds a new line in its place, already in its stored form (<see cref="CustomerLayout.EncodeLine"/>,
    /// <see cref="Timeline.Encode"/>: the fold keeps no record and no description of its own); false
    /// when a line of the same event is held already.
    /// </summary>
    public bool Add(DateTime at, Guid eventId, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!Insert(at, eventId))
        {
            return false;
        }
        (_unwritten ??= new(1)).Add((eventId, value));
        return true;
    }

    /// <summary>Adds a line that is stored already, by its time and event (and whole, when read whole).</summary>
    public void AddStored(DateTime at, Guid eventId, InteractionRecord? line = null)
    {
        if (Insert(at, eventId) && line is not null)
        {
            (_held ??= [])[eventId] = line;
        }
    }

    /// <summary>Holds a stored line whole (read for a hand-over); false when no line of its event is held.</summary>
    public bool Hold(InteractionRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (IndexOf(line.EventId) < 0)
        {
            return false;
        }
        if (IndexOfUnwritten(line.EventId) < 0)
        {
            (_held ??= [])[line.EventId] = line;
        }
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
            var (at, eventId) = _newestFirst[i];
            if (at >= retentionCutoff && (i < newest || at >= lateCutoff))
            {
                // Older lines come after: the rest of the list is kept too.
                return;
            }
            _newestFirst.RemoveAt(i);
            _held?.Remove(eventId);
            if (!RemoveUnwritten(eventId))
            {
                (_removed ??= []).Add(eventId);
            }
        }
    }

    /// <summary>Removes every line (a merge moved them elsewhere, or the customer is erased); stored ones are deleted at the next commit.</summary>
    public void Clear() => Trim(DateTime.MaxValue, DateTime.MaxValue, 0);

    /// <summary>Drops every line without deleting any: the lines held are not this state's to delete (a hand-over's index).</summary>
    internal void Forget()
    {
        _newestFirst.Clear();
        _unwritten?.Clear();
        _held = null;
        _removed = null;
    }

    /// <summary>After the lines were written: every line held is stored (and no longer held whole), nothing waits to be deleted.</summary>
    public void MarkWritten()
    {
        _unwritten?.Clear();
        _held = null;
        _removed = null;
    }

    private static bool IsNewer((DateTime At, Guid EventId) line, (DateTime At, Guid EventId) than) =>
        Stamped.IsNewer(line.At, line.EventId, than.At, than.EventId);

    private bool Insert(DateTime at, Guid eventId)
    {
        var entry = (at, eventId);
        // Stored lines are read newest first: each goes last, with no place to look for.
        if (_newestFirst.Count == 0 || IsNewer(_newestFirst[^1], entry) && IndexOf(eventId) < 0)
        {
            _newestFirst.Add(entry);
            return true;
        }
        var index = 0;
        for (; index < _newestFirst.Count; index++)
        {
            var held = _newestFirst[index];
            if (held.EventId == eventId)
            {
                return false;
            }
            if (IsNewer(entry, held))
            {
                break;
            }
        }
        for (var i = index; i < _newestFirst.Count; i++)
        {
            if (_newestFirst[i].EventId == eventId)
            {
                return false;
            }
        }
        _newestFirst.Insert(index, entry);
        return true;
    }

    private int IndexOf(Guid eventId)
    {
        for (var i = 0; i < _newestFirst.Count; i++)
        {
            if (_newestFirst[i].EventId == eventId)
            {
                return i;
            }
        }
        return -1;
    }

    private bool RemoveUnwritten(Guid eventId)
    {
        var index = IndexOfUnwritten(eventId);
        if (index < 0)
        {
            return false;
        }
        _unwritten!.RemoveAt(index);
        return true;
    }

    private int IndexOfUnwritten(Guid eventId)
    {
        for (var i = 0; i < (_unwritten?.Count ?? 0); i++)
        {
            if (_unwritten![i].EventId == eventId)
            {
                return i;
            }
        }
        return -1;
    }

    private static InteractionRecord Decoded((Guid EventId, byte[] Value) line) =>
        (InteractionRecord)CustomerLayout.DecodePart(CustomerPart.Line(line.EventId), line.Value);
}

/// <summary>One line of a customer's timeline, as the working state holds it.</summary>
/// <param name="At">The event's time.</param>
/// <param name="EventId">The event.</param>
/// <param name="Line">The line itself, while it waits to be written or when read whole; null otherwise.</param>
/// <param name="Stored">True once the line is in the store.</param>
public readonly record struct TimelineEntry(DateTime At, Guid EventId, InteractionRecord? Line, bool Stored);
