using System.Text;
using OmniStream.Streaming.State;

namespace OmniStream.Streaming.Tests.State;

/// <summary>The cache of working states: a budget in bytes, scan-resistant eviction, pinned states kept, a budget shared by an instance's tasks.</summary>
public class WorkingStateCacheTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public void States_read_again_stay_while_a_scan_of_states_read_once_passes_through()
    {
        using var cache = new WorkingStateCache<string>(new CacheBudget(bytes: 1_000));
        for (var i = 0; i < 5; i++)
        {
            cache.Add(B($"hot{i}"), $"state {i}", 100, pinned: false);
        }
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.That(cache.TryGet(B($"hot{i}"), out _), Is.True);
            }
            // A scan of customers seen once each (a batch replayed, a job over everyone).
            for (var i = 0; i < 50; i++)
            {
                var key = B($"scan{round}-{i}");
                if (!cache.TryGet(key, out _))
                {
                    cache.Add(key, "once", 100, pinned: false);
                }
            }
        }

        Assert.That(Enumerable.Range(0, 5).Count(i => cache.TryGet(B($"hot{i}"), out _)), Is.EqualTo(5), "the states read often survived three scans");
        Assert.That(cache.Bytes, Is.LessThanOrEqualTo(1_000));
    }

    [Test]
    public void Pinned_states_stay_past_the_budget_and_once_unpinned_the_budget_holds_again()
    {
        using var cache = new WorkingStateCache<string>(new CacheBudget(bytes: 300));
        for (var i = 0; i < 5; i++)
        {
            cache.Add(B($"changed{i}"), "state", 100, pinned: true);
        }
        cache.Add(B("read"), "state", 100, pinned: false);

        Assert.That(Enumerable.Range(0, 5).All(i => cache.TryGet(B($"changed{i}"), out _)), Is.True, "changed states stay until written");
        Assert.That(cache.Bytes, Is.EqualTo(500));

        for (var i = 0; i < 5; i++)
        {
            cache.Unpin(B($"changed{i}"), 120);
        }
        cache.Evict();

        Assert.That(cache.Bytes, Is.LessThanOrEqualTo(300));
    }

    [Test]
    public void A_replaced_state_counts_once_with_its_new_size_and_a_removed_one_is_gone()
    {
        using var cache = new WorkingStateCache<string>(new CacheBudget(bytes: 1_000));
        cache.Add(B("anna"), "v1", 100, pinned: false);
        cache.Add(B("anna"), "v2", 250, pinned: false);
        cache.Add(B("bob"), "v1", 100, pinned: false);
        cache.Remove(B("bob"));

        Assert.That(cache.TryGet(B("anna"), out var value), Is.True);
        Assert.That(value, Is.EqualTo("v2"));
        Assert.That(cache.TryGet(B("bob"), out _), Is.False);
        Assert.That((cache.Bytes, cache.Count), Is.EqualTo((250L, 1)));
    }

    [Test]
    public void With_no_budget_it_holds_nothing_once_written()
    {
        using var cache = new WorkingStateCache<string>(new CacheBudget(bytes: 0));
        cache.Add(B("anna"), "state", 1, pinned: false);
        cache.Add(B("bob"), "state", 1, pinned: true);
        cache.Unpin(B("bob"), 1);
        cache.Evict();

        Assert.That(cache.TryGet(B("anna"), out _), Is.False);
        Assert.That(cache.TryGet(B("bob"), out _), Is.False);
    }

    [Test]
    public void The_tasks_of_an_instance_share_its_budget_evenly_count_their_hits_and_a_closed_task_gives_its_share_back()
    {
        var budget = new CacheBudget(bytes: 400);
        using var first = new WorkingStateCache<string>(budget);
        for (var i = 0; i < 4; i++)
        {
            first.Add(B($"a{i}"), "state", 100, pinned: false);
        }
        Assert.That(first.Bytes, Is.EqualTo(400), "alone, a task has the whole budget");

        var second = new WorkingStateCache<string>(budget);
        second.Add(B("b0"), "state", 100, pinned: false);
        first.Add(B("a4"), "state", 100, pinned: false);

        Assert.That(budget.Share, Is.EqualTo(200));
        Assert.That(first.Bytes, Is.LessThanOrEqualTo(200), "the first task shrinks to its share as it adds");
        Assert.That(second.Bytes, Is.EqualTo(100));
        Assert.That(second.TryGet(B("b0"), out _), Is.True);
        Assert.That(second.TryGet(B("b9"), out _), Is.False);
        Assert.That((budget.Hits, budget.Misses, budget.HitRate), Is.EqualTo((1L, 1L, 0.5)));

        second.Dispose();
        Assert.That(budget.Holders, Is.EqualTo(1));
        Assert.That(budget.Share, Is.EqualTo(400), "the closed task's share came back");
    }
}
