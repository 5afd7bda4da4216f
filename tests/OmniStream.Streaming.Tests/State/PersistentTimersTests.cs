using System.Text;
using OmniStream.Streaming.State;

namespace OmniStream.Streaming.Tests.State;

/// <summary>Timers in a real RocksDB store.</summary>
public class PersistentTimersTests
{
    private static readonly DateTime T0 = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Path.Combine(Path.GetTempPath(), "omnistream-timers-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteDirectory() => RocksDbStore.Wipe(_directory);

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static List<string> Keys(IEnumerable<byte[]> keys) => keys.Select(Encoding.UTF8.GetString).ToList();

    [Test]
    public void Timers_come_due_earliest_first_once_and_only_when_due()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new PersistentTimers(store);
        timers.Schedule(B("late"), T0.AddMinutes(30));
        timers.Schedule(B("early"), T0.AddMinutes(1));
        store.Commit(checkpoint: 1);
        timers.Schedule(B("pending"), T0.AddMinutes(2));

        Assert.That(timers.TakeDue(T0), Is.Empty);
        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(10))), Is.EqualTo(new[] { "early", "pending" }));
        Assert.That(timers.TakeDue(T0.AddMinutes(10)), Is.Empty);
        Assert.That(Keys(timers.TakeDue(T0.AddHours(1))), Is.EqualTo(new[] { "late" }));
    }

    [Test]
    public void A_moved_timer_comes_due_at_its_new_time_only_and_a_cancelled_one_never()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new PersistentTimers(store);
        timers.Schedule(B("cart"), T0.AddMinutes(1));
        timers.Schedule(B("gone"), T0.AddMinutes(1));
        store.Commit(checkpoint: 1);

        timers.Schedule(B("cart"), T0.AddMinutes(30));
        timers.Cancel(B("gone"));

        Assert.That(timers.TakeDue(T0.AddMinutes(10)), Is.Empty);
        Assert.That(timers.DueAt(B("cart")), Is.EqualTo(T0.AddMinutes(30)));
        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(30))), Is.EqualTo(new[] { "cart" }));
    }

    [Test]
    public void Committed_timers_survive_a_reopen_and_aborted_ones_do_not()
    {
        using (var store = RocksDbStore.Open("timers", _directory))
        {
            var timers = new PersistentTimers(store);
            timers.Schedule(B("kept"), T0.AddMinutes(1));
            store.Commit(checkpoint: 1);
            timers.Schedule(B("aborted"), T0.AddMinutes(1));
            store.Abort();
        }

        using var reopened = RocksDbStore.Open("timers", _directory);

        Assert.That(Keys(new PersistentTimers(reopened).TakeDue(T0.AddHours(1))), Is.EqualTo(new[] { "kept" }));
    }

    [Test]
    public void Taking_due_timers_is_bounded()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new PersistentTimers(store);
        for (var i = 0; i < 10; i++)
        {
            timers.Schedule(B($"c{i}"), T0.AddSeconds(i));
        }

        Assert.That(Keys(timers.TakeDue(T0.AddHours(1), max: 4)), Is.EqualTo(new[] { "c0", "c1", "c2", "c3" }));
        Assert.That(timers.TakeDue(T0.AddHours(1)), Has.Count.EqualTo(6));
    }

    [Test]
    public void A_timer_scheduled_before_the_time_already_taken_still_comes_due()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new PersistentTimers(store);
        timers.Schedule(B("first"), T0.AddMinutes(1));
        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(5))), Is.EqualTo(new[] { "first" }));

        // A late event arms a timer that is already overdue.
        timers.Schedule(B("late"), T0.AddMinutes(2));
        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(5))), Is.EqualTo(new[] { "late" }));
    }

    [Test]
    public void Timers_left_after_a_full_batch_at_the_same_time_are_taken_next()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new PersistentTimers(store);
        foreach (var key in new[] { "a", "b", "c" })
        {
            timers.Schedule(B(key), T0);
        }

        Assert.That(Keys(timers.TakeDue(T0, max: 2)), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(Keys(timers.TakeDue(T0, max: 2)), Is.EqualTo(new[] { "c" }));
    }
}
