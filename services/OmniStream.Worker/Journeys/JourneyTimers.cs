namespace OmniStream.Worker.Journeys;

/// <summary>When each customer's next decision is due: one pending time per key, earliest first.</summary>
internal sealed class JourneyTimers
{
    private readonly PriorityQueue<string, DateTime> _queue = new();
    private readonly Dictionary<string, DateTime> _dueByKey = [];

    /// <summary>How many keys have a pending time.</summary>
    public int Count => _dueByKey.Count;

    /// <summary>Sets (or moves) the key's pending time.</summary>
    public void Schedule(string key, DateTime due)
    {
        if (_dueByKey.TryGetValue(key, out var current) && current == due)
        {
            return;
        }
        _dueByKey[key] = due;
        _queue.Enqueue(key, due);
    }

    /// <summary>Removes and returns the keys due by <paramref name="now"/>.</summary>
    public List<string> TakeDue(DateTime now)
    {
        var due = new List<string>();
        while (_queue.TryPeek(out var key, out var at) && at <= now)
        {
            _queue.Dequeue();
            // A key moved to a later time leaves a stale entry behind: skip it.
            if (_dueByKey.TryGetValue(key, out var current) && current == at)
            {
                _dueByKey.Remove(key);
                due.Add(key);
            }
        }
        return due;
    }
}
