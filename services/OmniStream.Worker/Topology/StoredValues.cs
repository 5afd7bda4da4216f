using System.Text.Json;
using OmniStream.Streaming.Tasks;

namespace OmniStream.Worker.Topology;

/// <summary>Reads the worker's stored values, setting aside those that cannot be read.</summary>
public static class StoredValues
{
    /// <summary>
    /// The value stored under <paramref name="key"/> in <paramref name="store"/>, or null. A value
    /// that does not decode is set aside (dead letter, with the changelog as its source) and
    /// deleted, so the key starts afresh: failing instead would dead-letter every later record of the key.
    /// </summary>
    public static T? ReadOrSetAside<T>(this ITaskContext task, string store, byte[] key, Func<byte[], T> decode) where T : class =>
        TryRead(task, store, key, decode, out var value) ? value : null;

    /// <summary>As <see cref="ReadOrSetAside{T}"/>, for a value type.</summary>
    public static T? ReadValueOrSetAside<T>(this ITaskContext task, string store, byte[] key, Func<byte[], T> decode) where T : struct =>
        TryRead(task, store, key, decode, out var value) ? value : null;

    private static bool TryRead<T>(ITaskContext task, string store, byte[] key, Func<byte[], T> decode, out T value)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(decode);
        value = default!;
        var values = task.Store(store);
        if (values.Find(key) is not { } bytes)
        {
            return false;
        }
        try
        {
            value = decode(bytes);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            task.SetAside(store, key, bytes, e);
            values.Delete(key);
            return false;
        }
    }
}
