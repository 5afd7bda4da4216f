using System.Text;
using OmniStream.Streaming.State;

namespace OmniStream.Streaming.Tests.State;

public class DecodedValueCacheTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public void Beyond_its_budget_it_lets_go_of_the_least_recently_used_values()
    {
        var cache = new DecodedValueCache<string>(budgetBytes: 300);
        cache.Set(B("anna"), "state of anna", 100);
        cache.Set(B("bob"), "state of bob", 100);
        cache.Set(B("carl"), "state of carl", 100);

        Assert.That(cache.TryGet(B("anna"), out _), Is.True);
        cache.Set(B("dora"), "state of dora", 100);

        Assert.That(cache.TryGet(B("bob"), out _), Is.False, "bob was used least recently");
        Assert.That(cache.TryGet(B("anna"), out var anna), Is.True);
        Assert.That(anna, Is.EqualTo("state of anna"));
        Assert.That(cache.Count, Is.EqualTo(3));
        Assert.That(cache.Bytes, Is.EqualTo(300));
    }

    [Test]
    public void A_replaced_value_counts_once_with_its_new_size()
    {
        var cache = new DecodedValueCache<string>(budgetBytes: 1_000);
        cache.Set(B("anna"), "v1", 100);
        cache.Set(B("anna"), "v2", 250);

        Assert.That(cache.TryGet(B("anna"), out var value), Is.True);
        Assert.That(value, Is.EqualTo("v2"));
        Assert.That(cache.Bytes, Is.EqualTo(250));
        Assert.That(cache.Count, Is.EqualTo(1));
    }

    [Test]
    public void A_removed_value_is_gone_and_a_value_larger_than_the_budget_is_not_held()
    {
        var cache = new DecodedValueCache<string>(budgetBytes: 100);
        cache.Set(B("anna"), "small", 50);
        cache.Remove(B("anna"));
        cache.Set(B("bob"), "too large", 101);

        Assert.That(cache.TryGet(B("anna"), out _), Is.False);
        Assert.That(cache.TryGet(B("bob"), out _), Is.False);
        Assert.That(cache.Bytes, Is.Zero);
    }

    [Test]
    public void With_no_budget_it_holds_nothing()
    {
        var cache = new DecodedValueCache<string>(budgetBytes: 0);
        cache.Set(B("anna"), "state", 1);

        Assert.That(cache.TryGet(B("anna"), out _), Is.False);
    }

    [Test]
    public void The_tasks_of_an_instance_share_its_budget_evenly_and_a_closed_task_gives_its_share_back()
    {
        var budget = new CacheBudget(bytes: 400);
        using var first = new DecodedValueCache<string>(budget);
        for (var i = 0; i < 4; i++)
        {
            first.Set(B($"a{i}"), "state", 100);
        }
        Assert.That(first.Bytes, Is.EqualTo(400), "alone, a task has the whole budget");

        var second = new DecodedValueCache<string>(budget);
        second.Set(B("b0"), "state", 100);
        first.Set(B("a4"), "state", 100);

        Assert.That(budget.Share, Is.EqualTo(200));
        Assert.That(first.Bytes, Is.EqualTo(200), "the first task shrinks to its share as it writes");
        Assert.That(second.Bytes, Is.EqualTo(100));

        second.Dispose();
        for (var i = 5; i < 9; i++)
        {
            first.Set(B($"a{i}"), "state", 100);
        }
        Assert.That(budget.Holders, Is.EqualTo(1));
        Assert.That(first.Bytes, Is.EqualTo(400), "the closed task's share came back");
        Assert.That(second.TryGet(B("b0"), out _), Is.False);
    }
}
