using System.Diagnostics;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Demo;

/// <summary>One status line a second (rates, latency, dead letters) and the newest actions with their reasons.</summary>
internal sealed class DemoDisplay(TextWriter output, TrafficSimulator traffic, ActionMonitor actions, RuntimeCounters runtime)
{
    private const int ActionsShown = 3;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastEvents;
    private long _lastActions;
    private TimeSpan _lastAt;

    public async Task ShowUntilAsync(Task done)
    {
        while (await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(1))) != done)
        {
            ShowNow();
        }
    }

    public void ShowNow()
    {
        var now = _clock.Elapsed;
        var seconds = Math.Max((now - _lastAt).TotalSeconds, 0.001);
        var events = traffic.Published;
        var received = actions.Received;
        output.WriteLine(
            $"[{now.TotalSeconds,4:0}s] events {events,7:N0} ({(events - _lastEvents) / seconds,5:0}/s)  " +
            $"actions {received,6:N0} ({(received - _lastActions) / seconds,4:0}/s)  " +
            $"trigger→action p50 {actions.LatencyPercentile(50),4:0} ms p99 {actions.LatencyPercentile(99),4:0} ms  " +
            $"dead letters {runtime.DeadLetters}");
        foreach (var action in actions.LatestActions((int)Math.Min(received - _lastActions, ActionsShown)))
        {
            output.WriteLine($"        → {Describe(action)}");
        }
        (_lastEvents, _lastActions, _lastAt) = (events, received, now);
    }

    private static string Describe(NextBestAction action) =>
        $"{action.actionType} for {action.customerId} on {action.channel} [{string.Join(", ", action.reasonCodes)}] {string.Join("; ", action.rulesFired)}";
}
