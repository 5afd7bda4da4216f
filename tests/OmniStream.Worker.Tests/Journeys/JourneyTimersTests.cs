using OmniStream.Worker.Journeys;

namespace OmniStream.Worker.Tests.Journeys;

public class JourneyTimersTests
{
    private static readonly DateTime T0 = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    [Test]
    public void Keys_come_due_in_time_order_and_once()
    {
        var timers = new JourneyTimers();
        timers.Schedule("b", T0.AddMinutes(2));
        timers.Schedule("a", T0.AddMinutes(1));

        Assert.That(timers.TakeDue(T0), Is.Empty);
        Assert.That(timers.TakeDue(T0.AddMinutes(5)), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(timers.TakeDue(T0.AddMinutes(5)), Is.Empty);
        Assert.That(timers.Count, Is.Zero);
    }

    [Test]
    public void A_key_moved_later_is_not_due_at_its_old_time()
    {
        var timers = new JourneyTimers();
        timers.Schedule("a", T0.AddMinutes(1));
        timers.Schedule("a", T0.AddMinutes(30));

        Assert.That(timers.TakeDue(T0.AddMinutes(10)), Is.Empty);
        Assert.That(timers.TakeDue(T0.AddMinutes(30)), Is.EqualTo(new[] { "a" }));
    }
}
