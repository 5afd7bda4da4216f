using OmniStream.Schemas.Contracts;
using OmniStream.Streaming.Telemetry;
using OmniStream.Worker.Ops;
using OmniStream.Worker.Telemetry;

namespace OmniStream.Worker.Tests;

/// <summary>The ops page's tally of the worker's own instruments.</summary>
public class OpsTallyTests
{
    [Test]
    public void It_totals_this_instances_counters_by_series_and_ignores_another_instance_in_the_same_process()
    {
        using var streaming = new StreamingMetrics();
        using var decisions = new DecisionMetrics();
        using var other = new StreamingMetrics();
        using var tally = new OpsTally(streaming, decisions, TimeProvider.System);

        streaming.RecordsIn.Add(3, new KeyValuePair<string, object?>("topic", "omni.interactions.web"));
        streaming.DeadLetters.Add(2, new("topic", "omni.interactions.web"), new("error", "InvalidEventException"));
        streaming.Rebalances.Add(6, new KeyValuePair<string, object?>("kind", "assigned"));
        other.RecordsIn.Add(100, new KeyValuePair<string, object?>("topic", "omni.interactions.web"));
        other.Aborts.Add(1);

        Assert.That(tally.Totals(), Is.EquivalentTo(new Dictionary<string, long>
        {
            ["in/omni.interactions.web"] = 3,
            ["dead/omni.interactions.web/InvalidEventException"] = 2,
            ["rebalances"] = 6,
        }));
    }

    [Test]
    public void Latency_percentiles_cover_only_the_window()
    {
        var time = new ManualClock();
        using var streaming = new StreamingMetrics();
        using var decisions = new DecisionMetrics();
        using var tally = new OpsTally(streaming, decisions, time);

        decisions.Emitted(Action(latencyMs: 5_000));
        time.Advance(TimeSpan.FromMinutes(2));
        foreach (var ms in Enumerable.Range(1, 100))
        {
            decisions.Emitted(Action(ms));
        }

        var (p50, p99, count) = tally.Latency(TimeSpan.FromMinutes(1));
        Assert.That((p50, p99, count), Is.EqualTo(((double?)50, (double?)99, 100)));
        Assert.That(tally.Totals()[OpsTally.Actions], Is.EqualTo(101));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private static NextBestAction Action(double latencyMs)
    {
        var decided = new DateTime(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);
        return new NextBestAction
        {
            actionId = Guid.NewGuid(),
            customerId = "c",
            channel = Channel.EMAIL,
            actionType = ActionType.CART_REMINDER,
            contentRef = "x",
            parameters = new Dictionary<string, string>(),
            reasonCodes = [],
            rulesFired = [],
            triggeredAt = decided.AddMilliseconds(-latencyMs),
            decidedAt = decided,
            expiresAt = decided.AddHours(1),
        };
    }
}
