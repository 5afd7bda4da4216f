using System.Text;
using OmniStream.Streaming.State;
using OmniStream.Testing;

namespace OmniStream.Streaming.Tests.State;

/// <summary>The store on real RocksDB files in a temporary directory.</summary>
public class RocksDbStoreTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Path.Combine(Path.GetTempPath(), "omnistream-store-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteDirectory() => RocksDbStore.Wipe(_directory);

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public void Pending_writes_are_read_back_before_they_are_committed()
    {
        using var store = RocksDbStore.Open("journeys", _directory);

        store.Put(B("anna"), B("cart"));
        store.Put(B("bob"), B("order"));
        store.Delete(B("bob"));

        Assert.That(store.Find(B("anna")), Is.EqualTo(B("cart")));
        Assert.That(store.Find(B("bob")), Is.Null);
        Assert.That(store.PendingWrites, Is.EqualTo(2));
    }

    [Test]
    public void A_keys_parts_are_read_with_it_pending_writes_laid_over_them_and_never_another_keys_entries()
    {
        using var store = RocksDbStore.Open("customers", _directory);
        var anna = B("anna");
        store.Put(anna, B("core"));
        store.Put(KeyParts.Of(anna, B("1")), B("line 1"));
        store.Put(KeyParts.Of(anna, B("2")), B("line 2"));
        // Keys that start with "anna", before and after its parts in key order, and another key's parts.
        store.Put(B("anna2"), B("another customer"));
        store.Put(B("anna\u00ff"), B("another customer, whose key ends in the UTF-8 of ÿ"));
        store.Put(KeyParts.Of(B("ann"), B("1")), B("a part of ann"));
        store.Put(KeyParts.Of(B("annb"), B("1")), B("a part of annb"));
        store.Commit(checkpoint: 1);

        store.Delete(KeyParts.Of(anna, B("1")));
        store.Put(KeyParts.Of(anna, B("3")), B("line 3"));

        Assert.That(store.PartsOf(anna).Select(p => Encoding.UTF8.GetString(p.Value)), Is.EqualTo(new[] { "line 2", "line 3" }), "pending writes included");
        var (value, parts) = store.FindCommittedWithParts(anna);
        Assert.That(value, Is.EqualTo(B("core")));
        Assert.That(parts.Select(p => Encoding.UTF8.GetString(p.Value)), Is.EqualTo(new[] { "line 1", "line 2" }), "committed only");
        Assert.That(store.FindCommittedWithParts(B("nobody")).Parts, Is.Empty);
    }

    [Test]
    public void Only_a_key_of_utf8_text_has_parts()
    {
        Assert.Throws<ArgumentException>(() => KeyParts.Prefix([]), "empty");
        Assert.Throws<ArgumentException>(() => KeyParts.Prefix([0x61, KeyParts.Separator]), "0xFF is never in UTF-8");
    }

    [Test]
    public void Committed_writes_and_their_checkpoint_survive_a_reopen()
    {
        using (var store = RocksDbStore.Open("journeys", _directory))
        {
            store.Put(B("anna"), B("cart"));
            store.Commit(checkpoint: 42);
        }

        using var reopened = RocksDbStore.Open("journeys", _directory);

        Assert.That(reopened.Find(B("anna")), Is.EqualTo(B("cart")));
        Assert.That(reopened.Checkpoint, Is.EqualTo(42));
        Assert.That(reopened.PendingWrites, Is.Zero);
    }

    [Test]
    public void Aborted_writes_are_gone_and_the_committed_value_shows_again()
    {
        using var store = RocksDbStore.Open("journeys", _directory);
        store.Put(B("anna"), B("v1"));
        store.Commit(checkpoint: 1);

        store.Put(B("anna"), B("v2"));
        store.Delete(B("anna"));
        store.Abort();

        Assert.That(store.Find(B("anna")), Is.EqualTo(B("v1")));
        Assert.That(store.Checkpoint, Is.EqualTo(1));
    }

    [Test]
    public void Writes_never_committed_are_lost_on_reopen_as_after_a_crash()
    {
        using (var store = RocksDbStore.Open("journeys", _directory))
        {
            store.Put(B("anna"), B("v1"));
            store.Commit(checkpoint: 7);
            store.Put(B("anna"), B("v2"));
        }

        using var reopened = RocksDbStore.Open("journeys", _directory);

        Assert.That(reopened.Find(B("anna")), Is.EqualTo(B("v1")));
        Assert.That(reopened.Checkpoint, Is.EqualTo(7));
    }

    [Test]
    public void A_new_store_has_no_checkpoint_and_the_checkpoint_is_no_user_key()
    {
        using var store = RocksDbStore.Open("journeys", _directory);
        var before = store.Checkpoint;
        store.Put(B("changelog-checkpoint"), B("user data"));
        store.Commit(checkpoint: 3);

        Assert.That(before, Is.Null);
        Assert.That(store.Find(B("changelog-checkpoint")), Is.EqualTo(B("user data")));
        Assert.That(store.Checkpoint, Is.EqualTo(3));
    }

    [Test]
    public void A_scan_merges_pending_writes_over_committed_ones_in_key_order_within_bounds()
    {
        using var store = RocksDbStore.Open("journeys", _directory);
        foreach (var key in new[] { "a", "c", "e", "g" })
        {
            store.Put(B(key), B(key + "-committed"));
        }
        store.Commit(checkpoint: 1);
        store.Put(B("b"), B("b-pending"));
        store.Put(B("c"), B("c-pending"));
        store.Delete(B("e"));
        store.Put(B("z"), B("out of range"));

        var scanned = store.Scan(B("b"), B("h")).Select(e => $"{Encoding.UTF8.GetString(e.Key)}={Encoding.UTF8.GetString(e.Value)}");

        Assert.That(scanned, Is.EqualTo(new[] { "b=b-pending", "c=c-pending", "g=g-committed" }));
    }

    [Test]
    public void Writes_after_a_scan_and_after_a_commit_are_found_by_the_next_scans()
    {
        using var store = RocksDbStore.Open("customers", _directory);
        store.Put(B("d"), B("d1"));
        Assert.That(Scanned(store), Is.EqualTo(new[] { "d=d1" }));

        store.Put(B("b"), B("b1"));
        store.Put(B("d"), B("d2"));
        Assert.That(Scanned(store), Is.EqualTo(new[] { "b=b1", "d=d2" }), "a write after the first scan of the interval");

        store.Commit(checkpoint: 1);
        store.Put(B("c"), B("c1"));
        store.Delete(B("b"));
        Assert.That(Scanned(store), Is.EqualTo(new[] { "c=c1", "d=d2" }), "writes of the next interval, before any scan of it");
    }

    private static List<string> Scanned(RocksDbStore store) =>
        store.Scan(B("a"), B("z")).Select(e => $"{Encoding.UTF8.GetString(e.Key)}={Encoding.UTF8.GetString(e.Value)}").ToList();

    [Test]
    public async Task A_store_left_without_closing_holds_the_writes_and_checkpoint_of_one_flush()
    {
        const int Commits = 5_000;
        var crashImage = _directory + "-crash";
        try
        {
            using (var store = RocksDbStore.Open("customers", _directory))
            {
                // Enough commits for the store's small checkpoint family to fill and flush a few times.
                for (var i = 0; i < Commits; i++)
                {
                    store.Put(B($"customer-{i:D5}"), new byte[200]);
                    store.Commit(checkpoint: i + 1);
                }
                await Wait.UntilAsync(() => !store.IsFlushing, TimeSpan.FromSeconds(30), "RocksDB's flushes to end");
                // What a killed process leaves: the files, without what was only in memory.
                Directory.CreateDirectory(crashImage);
                foreach (var file in Directory.GetFiles(_directory))
                {
                    File.Copy(file, Path.Combine(crashImage, Path.GetFileName(file)));
                }
            }

            using var recovered = RocksDbStore.Open("customers", crashImage);

            Assert.That(recovered.Checkpoint, Is.InRange(1, Commits), "no flush happened: the test proves nothing");
            Assert.That(recovered.ScanCommitted().Count(), Is.EqualTo(recovered.Checkpoint),
                "the checkpoint does not match the writes it claims: the restore would skip or repeat changelog records");
        }
        finally
        {
            RocksDbStore.Wipe(crashImage);
        }
    }
}
