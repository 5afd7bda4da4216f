using System.Text;
using OmniStream.Streaming.State;

namespace OmniStream.Streaming.Tests.State;

/// <summary>A store shard's writes waiting for their commit.</summary>
public class PendingWritesTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static List<(string Key, string? Value)> Listed(ReadOnlySpan<KeyValuePair<byte[], byte[]?>> writes)
    {
        var listed = new List<(string, string?)>();
        foreach (var (key, value) in writes)
        {
            listed.Add((Encoding.UTF8.GetString(key), value is null ? null : Encoding.UTF8.GetString(value)));
        }
        return listed;
    }

    [Test]
    public void Writes_come_out_in_key_order_each_key_once_with_its_last_write_and_deletes_as_null()
    {
        var pending = new PendingWrites();
        foreach (var name in new[] { "mia", "bob", "zoe", "ann", "bob", "carl" })
        {
            pending.Set(B(name), B(name + "'s"));
        }
        pending.Set(B("zoe"), null);
        pending.Set(B("bob"), B("bob's last"));

        Assert.That(Listed(pending.InKeyOrder()), Is.EqualTo(new List<(string, string?)>
        {
            ("ann", "ann's"), ("bob", "bob's last"), ("carl", "carl's"), ("mia", "mia's"), ("zoe", null),
        }));
    }

    [Test]
    public void After_a_clear_only_the_new_writes_come_out()
    {
        var pending = new PendingWrites();
        foreach (var name in new[] { "d", "c", "b", "a" })
        {
            pending.Set(B(name), B(name));
        }
        _ = pending.InKeyOrder();
        pending.Clear();
        pending.Set(B("y"), B("1"));
        pending.Set(B("x"), B("2"));

        Assert.That(Listed(pending.InKeyOrder()), Is.EqualTo(new List<(string, string?)> { ("x", "2"), ("y", "1") }));
    }
}
