namespace OmniStream.Streaming.Telemetry;

/// <summary>
/// At most <paramref name="linesPerWindow"/> log lines of one kind per <paramref name="window"/>;
/// the lines left out are counted, and the next line says how many. A flood of bad records must
/// not become a flood of log lines (the metrics count every one).
/// </summary>
internal sealed class LogBudget(int linesPerWindow, TimeSpan window, TimeProvider time)
{
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _used;
    private long _skipped;

    /// <summary>True when a line may be written now; <paramref name="skipped"/> is how many were left out since the last one.</summary>
    public bool TryTake(out long skipped)
    {
        var now = time.GetUtcNow();
        if (now - _windowStart >= window)
        {
            _windowStart = now;
            _used = 0;
        }
        if (_used >= linesPerWindow)
        {
            _skipped++;
            skipped = 0;
            return false;
        }
        _used++;
        skipped = _skipped;
        _skipped = 0;
        return true;
    }
}
