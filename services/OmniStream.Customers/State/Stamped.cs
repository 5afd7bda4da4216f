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
    public static bool IsNewer(IStamped a, IStamped b) =>
        a.At != b.At ? a.At > b.At : a.EventId.CompareTo(b.EventId) > 0;

    /// <summary>The newer of two parts (a missing one loses).</summary>
    public static T? Latest<T>(T? a, T? b) where T : class, IStamped =>
        a is null ? b : b is null ? a : IsNewer(b, a) ? b : a;

    /// <summary>The newest <paramref name="limit"/> distinct parts of both lists, newest first.</summary>
    public static System.Collections.Immutable.ImmutableList<T> Newest<T>(IEnumerable<T> a, IEnumerable<T> b, int limit) where T : IStamped =>
        [.. a.Concat(b).DistinctBy(x => x.EventId).OrderByDescending(x => x.At).ThenByDescending(x => x.EventId).Take(limit)];
}
