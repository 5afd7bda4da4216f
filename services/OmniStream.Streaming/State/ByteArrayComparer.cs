using System.IO.Hashing;

namespace OmniStream.Streaming.State;

/// <summary>Compares byte arrays by content, and orders them as RocksDB does (unsigned bytes, lexicographic).</summary>
public sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IComparer<byte[]>
{
    // Keys come from channels (customer ids): a seed drawn per process keeps their hashes unpredictable, as HashCode's are.
    private static readonly long Seed = Random.Shared.NextInt64();

    /// <summary>The one instance.</summary>
    public static ByteArrayComparer Instance { get; } = new();

    /// <inheritdoc />
    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    /// <inheritdoc />
    public int Compare(byte[]? x, byte[]? y) => x is null ? (y is null ? 0 : -1) : y is null ? 1 : x.AsSpan().SequenceCompareTo(y);

    /// <inheritdoc />
    public int GetHashCode(byte[] obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        // xxHash3: a state's keys are hashed several times per record, and HashCode takes them four bytes at a time.
        var hash = XxHash3.HashToUInt64(obj, Seed);
        return (int)hash ^ (int)(hash >> 32);
    }
}
