namespace OmniStream.Customers.State;

/// <summary>A part of the state set by one event: the later event time wins, then the greater event id, whatever the arrival order.</summary>
public interface IStamped
{
    /// <summary>Event time.</summary>
    DateTime At { get; }

    /// <summary>The event, breaking ties between equal times.</summary>
    Guid EventId { get; }
}

/// <summary>Latest-wins choices and bounded newest-first lists over <see cref="IStamped"/> parts.</summary>
public static class Stamped
{
    /// <summary>True when <paramref name="a"/> is newer than <paramref name="b"/>.</summary>
    public static bool IsNewer(IStamped a, IStamped b) => IsNewer(a.At, a.EventId, b.At, b.EventId);

    /// <summary>True when what happened at <paramref name="at"/> (event <paramref name="eventId"/>) is newer than what happened at <paramref name="thanAt"/> (event <paramref name="thanEventId"/>): later, or at the same time with the greater event id.</summary>
    public static bool IsNewer(DateTime at, Guid eventId, DateTime thanAt, Guid thanEventId) =>
        at != thanAt ? at > thanAt : eventId.CompareTo(thanEventId) > 0;

    /// <summary>The newer of two parts (a missing one loses).</summary>
    public static T? Latest<T>(T? a, T? b) where T : class, IStamped =>
        a is null ? b : b is null ? a : IsNewer(b, a) ? b : a;

    /// <summary>
    /// Inserts <paramref name="item"/> in its place in <paramref name="newestFirst"/> (a list of distinct
    /// parts, newest first, at most <paramref name="limit"/> long) and drops the oldest beyond the limit;
    /// false when a part of the same event is there already (it stays) or the item is too old to keep.
    /// </summary>
    public static bool InsertNewest<T>(List<T> newestFirst, T item, int limit, out T? dropped) where T : class, IStamped
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        ArgumentNullException.ThrowIfNull(item);
        dropped = null;
        var index = newestFirst.Count;
        for (var i = 0; i < newestFirst.Count; i++)
        {
            if (newestFirst[i].EventId == item.EventId)
            {
                return false;
            }
            if (index == newestFirst.Count && IsNewer(item, newestFirst[i]))
            {
                index = i;
            }
        }
        if (index >= limit)
        {
            return false;
        }
        newestFirst.Insert(index, item);
        if (newestFirst.Count > limit)
        {
            dropped = newestFirst[^1];
            newestFirst.RemoveAt(newestFirst.Count - 1);
        }
        return true;
    }
}
