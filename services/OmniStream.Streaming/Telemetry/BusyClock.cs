using System.Diagnostics;

namespace OmniStream.Streaming.Telemetry;

/// <summary>A stage loop's busy time: its time outside polls, reported as <see cref="StreamingMetrics.Busy"/>.</summary>
internal sealed class BusyClock
{
    private long _since = Stopwatch.GetTimestamp();
    private long _pollStart;
    private TimeSpan _waiting;

    /// <summary>The loop starts a poll.</summary>
    public void PollStarting() => _pollStart = Stopwatch.GetTimestamp();

    /// <summary>The poll returned.</summary>
    public void PollReturned() => _waiting += Stopwatch.GetElapsedTime(_pollStart);

    /// <summary>Adds the busy time since the last report to <paramref name="metrics"/> and starts again.</summary>
    public void Report(StreamingMetrics metrics, string stage)
    {
        metrics.Busy.Add(Math.Max(0, (Stopwatch.GetElapsedTime(_since) - _waiting).TotalSeconds), new KeyValuePair<string, object?>("stage", stage));
        (_since, _waiting) = (Stopwatch.GetTimestamp(), TimeSpan.Zero);
    }
}
