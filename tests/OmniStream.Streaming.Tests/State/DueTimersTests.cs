using System.Text;
using OmniStream.Streaming.State;

namespace OmniStream.Streaming.Tests.State;

/// <summary>Timers in a real RocksDB store: taken in due order, written once per commit as net changes.</summary>
public class DueTimersTests
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
    public void Timers_come_due_earliest_first_once_and_only_when_due_whether_stored_or_set_since()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new DueTimers(store);
        timers.Set(B("late"), null, T0.AddMinutes(30));
        timers.Set(B("early"), null, T0.AddMinutes(1));
        timers.Flush();
        store.Commit(checkpoint: 1);
        timers.Set(B("pending"), null, T0.AddMinutes(2));

        Assert.That(timers.TakeDue(T0), Is.Empty);
        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(10))), Is.EqualTo(new[] { "early", "pending" }));
        Assert.That(timers.TakeDue(T0.AddMinutes(10)), Is.Empty);
        Assert.That(Keys(timers.TakeDue(T0.AddHours(1))), Is.EqualTo(new[] { "late" }));
    }

    [Test]
    public void A_moved_timer_comes_due_at_its_new_time_only_and_a_cancelled_one_never()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new DueTimers(store);
        timers.Set(B("cart"), null, T0.AddMinutes(1));
        timers.Set(B("gone"), null, T0.AddMinutes(1));
        timers.Flush();
        store.Commit(checkpoint: 1);

        timers.Set(B("cart"), T0.AddMinutes(1), T0.AddMinutes(30));
        timers.Set(B("gone"), T0.AddMinutes(1), null);

        Assert.That(timers.TakeDue(T0.AddMinutes(10)), Is.Empty);
        Assert.That(timers.DueAt(B("cart"), T0.AddMinutes(1)), Is.EqualTo(T0.AddMinutes(30)));
        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(30))), Is.EqualTo(new[] { "cart" }));
    }

    [Test]
    public void A_timer_set_and_taken_within_one_commit_writes_nothing_and_one_moved_twice_writes_one_move()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new DueTimers(store);
        timers.Set(B("stored"), null, T0.AddHours(1));
        timers.Flush();
        store.Commit(checkpoint: 1);

        timers.Set(B("reminded"), null, T0.AddMilliseconds(1));
        Assert.That(Keys(timers.TakeDue(T0.AddMilliseconds(10))), Is.EqualTo(new[] { "reminded" }));
        timers.Set(B("stored"), T0.AddHours(1), T0.AddHours(2));
        timers.Set(B("stored"), T0.AddHours(1), T0.AddHours(3));
        var written = timers.Flush();

        Assert.That(written.Select(w => (Encoding.UTF8.GetString(w.Key), w.Due)), Is.EqualTo(new[] { ("stored", (DateTime?)T0.AddHours(3)) }));
        Assert.That(store.PendingWrites, Is.EqualTo(2), "the old entry deleted, the new one written; nothing for the timer set and taken");
    }

    [Test]
    public void Committed_timers_survive_a_reopen_and_aborted_ones_do_not()
    {
        using (var store = RocksDbStore.Open("timers", _directory))
        {
            var timers = new DueTimers(store);
            timers.Set(B("kept"), null, T0.AddMinutes(1));
            timers.Flush();
            store.Commit(checkpoint: 1);
            timers.Set(B("aborted"), null, T0.AddMinutes(1));
            timers.Flush();
            store.Abort();
        }

        using var reopened = RocksDbStore.Open("timers", _directory);

        Assert.That(Keys(new DueTimers(reopened).TakeDue(T0.AddHours(1))), Is.EqualTo(new[] { "kept" }));
    }

    [Test]
    public void Taking_due_timers_is_bounded_and_timers_left_after_a_full_batch_at_the_same_time_are_taken_next()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new DueTimers(store);
        for (var i = 0; i < 10; i++)
        {
            timers.Set(B($"c{i}"), null, T0.AddSeconds(i));
        }
        foreach (var key in new[] { "a", "b", "c" })
        {
            timers.Set(B(key), null, T0.AddMinutes(1));
        }
        timers.Flush();
        store.Commit(checkpoint: 1);

        Assert.That(Keys(timers.TakeDue(T0.AddSeconds(30), max: 4)), Is.EqualTo(new[] { "c0", "c1", "c2", "c3" }));
        Assert.That(timers.TakeDue(T0.AddSeconds(30)), Has.Count.EqualTo(6));
        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(1), max: 2)), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(1), max: 2)), Is.EqualTo(new[] { "c" }));
    }

    [Test]
    public void A_timer_set_before_the_time_already_taken_still_comes_due()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new DueTimers(store);
        timers.Set(B("first"), null, T0.AddMinutes(1));
        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(5))), Is.EqualTo(new[] { "first" }));

        // A late event arms a timer that is already overdue; stored at commit, it is found by the next scan.
        timers.Set(B("late"), null, T0.AddMinutes(2));
        timers.Flush();
        store.Commit(checkpoint: 1);
        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(5))), Is.EqualTo(new[] { "late" }));
    }

    [Test]
    public void A_stray_short_entry_in_the_timers_store_is_dropped_and_the_timers_still_come_due()
    {
        using var store = RocksDbStore.Open("timers", _directory);
        var timers = new DueTimers(store);
        timers.Set(B("kept"), null, T0.AddMinutes(1));
        timers.Flush();
        // As a restore of a changelog holding a record written by something else would leave it: 'd' and two bytes.
        store.Put([(byte)'d', 0, 1], B("stray"));
        store.Commit(checkpoint: 1);

        Assert.That(Keys(timers.TakeDue(T0.AddMinutes(5))), Is.EqualTo(new[] { "kept" }));
        Assert.That(store.Find([(byte)'d', 0, 1]), Is.Null, "the stray entry dropped");
    }
}
