using OmniStream.Streaming.Telemetry;

namespace OmniStream.Streaming.Tests.Telemetry;

public class LogBudgetTests
{
    [Test]
    public void Lines_beyond_the_budget_are_left_out_and_counted_in_the_next_window()
    {
        var clock = new ManualClock();
        var budget = new LogBudget(linesPerWindow: 2, TimeSpan.FromSeconds(10), clock);

        var taken = Enumerable.Range(0, 5).Select(_ => budget.TryTake(out long _)).ToList();
        clock.Now += TimeSpan.FromSeconds(10);
        var next = budget.TryTake(out var skipped);

        Assert.That(taken, Is.EqualTo(new[] { true, true, false, false, false }));
        Assert.That(next, Is.True);
        Assert.That(skipped, Is.EqualTo(3));
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
