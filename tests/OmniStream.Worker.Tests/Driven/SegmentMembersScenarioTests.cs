using OmniStream.Channels.Topics;
using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests.Driven;

/// <summary>
/// Segments' sizes on the stage test driver: every entry and exit counts in the segment's windows and in its running
/// count of members, including the exits no rule makes (a customer erased, an anonymous id merged into a customer).
/// </summary>
public class SegmentMembersScenarioTests
{
    private const string CartOpen = "cart_open";
    private static readonly AvroSerde<KpiUpdate> Updates = new(SchemaCatalog.Default);

    [Test]
    public async Task Entries_and_exits_by_rule_erasure_and_merge_add_up_to_the_members_in_the_segment()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        var minute = KpiWindows.StartOf(KpiWindow.MINUTE, worker.Now);
        var ann = new Interactions("ann", worker.Now);
        var bob = new Interactions("bob", worker.Now);
        var visitor = Interactions.Anonymous("cookie-7", worker.Now);

        await worker.PublishAsync(ann.CartUpdated(Channel.WEB, ("sku-1", 1, 25m)));
        await worker.PublishAsync(visitor.CartUpdated(Channel.WEB, ("sku-2", 1, 40m)));
        Assert.That(Members(worker), Is.EqualTo(2), "ann and the visitor have open carts");

        // The visitor logs in as Bob: the visitor's state leaves the segment, and Bob, with the visitor's cart, enters it.
        await worker.PublishAsync(bob.After(TimeSpan.FromSeconds(5)).Identified(Channel.WEB, visitor.CustomerId));
        worker.ViewWhere(bob.CustomerId, v => v.GetProperty("linkedIds").GetArrayLength() == 1, "the visit merged into Bob");
        Assert.That(worker.SegmentChangesFor(bob.CustomerId).Where(c => c.segment == CartOpen).Select(c => c.entered), Is.EqualTo(new[] { true }));
        Assert.That(Members(worker), Is.EqualTo(2), "Bob in the visitor's place");

        await worker.RequestErasureAsync(ann.After(TimeSpan.FromSeconds(10)).ErasureRequested(Channel.WEB));
        Assert.That(Members(worker), Is.EqualTo(1), "Ann erased: only Bob is left");

        var counts = worker.SegmentMembersOf(CartOpen);
        Assert.That((counts.SegmentEntries, counts.SegmentExits), Is.EqualTo((3L, 2L)), "ann, the visitor and Bob came in; the visitor and ann went");
        var cell = worker.Kpis(minute, $"segment:{CartOpen}") ?? throw new AssertionException("no cell for the segment in the minute");
        Assert.That((cell.GetProperty("counts").GetProperty("segmentEntries").GetInt64(), cell.GetProperty("counts").GetProperty("segmentExits").GetInt64()),
            Is.EqualTo((3L, 2L)), "the minute's entries and exits");
        var key = $"MINUTE/{minute:yyyy-MM-dd'T'HH:mm:ss'Z'}/segment:{CartOpen}";
        var published = await Updates.DeserializeAsync(worker.ValuesFor(TopicCatalog.Kpis.Name, key)[^1]!);
        Assert.That((published.segmentEntries, published.segmentExits), Is.EqualTo((3L, 2L)), "the cell's last update on omni.kpis");
        Assert.That(worker.ValuesFor(TopicCatalog.Kpis.Name, SegmentMembers.Prefix + "segment:" + CartOpen), Is.Empty, "members are read through the API, not published");
    }

    [Test]
    public async Task A_kpis_stage_killed_before_its_commit_counts_each_entry_once_in_the_members()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        await worker.PublishAsync(new Interactions("first", worker.Now).CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));

        Assert.That(await worker.KillKpisBeforeCommitAsync(new Interactions("second", worker.Now).CartUpdated(Channel.WEB, ("sku-1", 1, 10m))), Is.GreaterThan(0),
            "the second entry's counts were read");
        await worker.Driver.RunAsync();

        Assert.That(Members(worker), Is.EqualTo(2));
    }

    [Test]
    public async Task Customers_stored_before_members_were_counted_count_once_when_the_stage_next_starts()
    {
        using var worker = DrivenWorker.Create(TimeSpan.FromMinutes(30));
        await worker.PublishAsync(new Interactions("ann", worker.Now).CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        await worker.PublishAsync(new Interactions("bob", worker.Now).CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        Assert.That(Members(worker), Is.EqualTo(2));

        // As an application that ran the version before members: no census mark, no members counted (taken out within
        // transactions that a visit opens).
        worker.Pipe(new Interactions("dora", worker.Now).PageViewed(Channel.WEB));
        foreach (var stage in new[] { WorkerTopology.IngestStage, WorkerTopology.IdentityStage, WorkerTopology.CustomersStage, WorkerTopology.KpisStage })
        {
            await worker.Driver.ProcessAsync(stage);
            if (stage == WorkerTopology.CustomersStage)
            {
                TakeOut(worker, WorkerTopology.CustomersStore, key => SegmentCensus.IsMark(key));
            }
            else if (stage == WorkerTopology.KpisStage)
            {
                TakeOut(worker, WorkerTopology.KpisStore, key => SegmentMembers.IsKey(key));
            }
            worker.Driver.Commit(stage);
        }
        Assert.That(Members(worker), Is.Zero, "the members of the version before: none");
        worker.Driver.RestartAll();

        await worker.Driver.RunAsync();
        Assert.That(Members(worker), Is.EqualTo(2), "both customers counted by the census");
        worker.Driver.RestartAll();
        await worker.PublishAsync(new Interactions("cara", worker.Now).CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        Assert.That(Members(worker), Is.EqualTo(3), "counted once: the mark outlives a restart");
    }

    private static void TakeOut(DrivenWorker worker, string store, Func<byte[], bool> taken)
    {
        var found = worker.Driver.Scan(store).Where(e => taken(e.Key)).ToList();
        Assert.That(found, Is.Not.Empty, $"the {store} store holds what to take out");
        found.ForEach(e => worker.Driver.Store(store, e.Partition).Delete(e.Key));
    }

    private static long Members(DrivenWorker worker) => SegmentMembers.Of(worker.SegmentMembersOf(CartOpen));
}
