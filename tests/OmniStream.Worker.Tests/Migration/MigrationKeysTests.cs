using System.Buffers.Binary;
using System.Text;
using OmniStream.Customers.State;
using OmniStream.Decisions.Learning;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Migration;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests.Migration;

/// <summary>What a migration re-keys by: whose a stored key is, and how learning counts pass to another partition count.</summary>
public class MigrationKeysTests
{
    private static readonly byte[] Anna = Encoding.UTF8.GetBytes("anna");

    [Test]
    public void A_customers_parts_mark_and_timers_belong_to_the_customer()
    {
        var timer = new byte[1 + sizeof(long) + Anna.Length];
        timer[0] = (byte)'d';
        BinaryPrimitives.WriteInt64BigEndian(timer.AsSpan(1), DateTime.UtcNow.Ticks);
        Anna.CopyTo(timer, 1 + sizeof(long));
        byte[] mark = [0xFF, .. Anna];
        byte[] markTimer = [.. timer[..(1 + sizeof(long))], .. mark];

        Assert.Multiple(() =>
        {
            Assert.That(StoreOwners.Of(WorkerTopology.CustomersStore, Anna), Is.EqualTo(Anna));
            Assert.That(StoreOwners.Of(WorkerTopology.CustomersStore, CustomerPart.Line(Guid.NewGuid()).KeyOf(Anna)), Is.EqualTo(Anna), "a timeline line");
            Assert.That(StoreOwners.Of(WorkerTopology.CustomersStore, mark), Is.EqualTo(Anna), "an erasure mark");
            Assert.That(StoreOwners.Of(WorkerTopology.TimersStore, timer), Is.EqualTo(Anna), "a timer");
            Assert.That(StoreOwners.Of(WorkerTopology.TimersStore, markTimer), Is.EqualTo(Anna), "an erasure mark's timer");
            Assert.That(StoreOwners.Of(WorkerTopology.TimersStore, [(byte)'k', .. Anna]), Is.EqualTo(Anna), "a legacy index entry");
            Assert.That(StoreOwners.Of(WorkerTopology.LinksStore, Anna), Is.EqualTo(Anna));
        });
    }

    [Test]
    public void Segments_members_and_the_mark_that_they_were_counted_stay_behind_for_the_new_application_to_count_them_again()
    {
        Assert.That(StoreOwners.PartitionsOf(WorkerTopology.CustomersStore, SegmentCensus.MarkKey, 12), Is.Empty);
        Assert.That(StoreOwners.PartitionsOf(WorkerTopology.KpisStore, Encoding.UTF8.GetBytes("members/segment:vip"), 12), Is.Empty);
        Assert.That(StoreOwners.PartitionsOf(WorkerTopology.CustomersStore, Anna, 12), Has.Exactly(1).InRange(0, 11));
        Assert.That(StoreOwners.PartitionsOf(WorkerTopology.KpisStore, Encoding.UTF8.GetBytes("HOUR/2026-12-07T10:00:00Z/segment:vip"), 12), Has.Exactly(1).Items);
    }

    [Test]
    public void Doubling_gives_each_new_partition_half_of_its_parents_counts()
    {
        var counts = new Dictionary<(int, string), ArmStats> { [(1, "cart_reminder/other")] = new(100, 10) };

        var split = LearningCountsSplit.Split(counts, 6, 12);

        Assert.That(split, Is.EquivalentTo(new Dictionary<(int, string), ArmStats>
        {
            [(1, "cart_reminder/other")] = new(50, 5),
            [(7, "cart_reminder/other")] = new(50, 5),
        }));
    }

    [Test]
    public void Any_other_count_keeps_the_totals()
    {
        var counts = Enumerable.Range(0, 4).ToDictionary(p => (p, "a/b"), p => new ArmStats(600 * (p + 1), 60 * (p + 1)));

        var split = LearningCountsSplit.Split(counts, 4, 6);

        Assert.That(split.Keys.Select(k => k.Partition), Is.EquivalentTo(Enumerable.Range(0, 6)));
        Assert.That(split.Values.Sum(s => s.Sent), Is.EqualTo(counts.Values.Sum(s => s.Sent)));
        Assert.That(split.Values.Sum(s => s.Converted), Is.EqualTo(counts.Values.Sum(s => s.Converted)));
    }
}
