using Avro;
using Avro.IO;

namespace OmniStream.Schemas.Wire;

/// <summary>
/// Avro's binary decoder, with every length and count checked against the bytes left in the body
/// before anything is allocated: Apache.Avro's own decoder allocates whatever a string's or bytes'
/// length prefix claims (100 MB for a 30-byte record), so a hostile record could make the reader
/// allocate without bound. Here, a record costs about its own size, whatever it claims, whatever its
/// writer schema: the items of all its arrays and maps together are at most its bytes.
/// </summary>
internal sealed class BoundedDecoder(MemoryStream body) : Decoder
{
    private readonly BinaryDecoder _inner = new(body);

    // Every item of a released contract takes at least a byte, so a record holds no more items than bytes; a writer schema
    // whose items take none (array<null>, an empty record) could otherwise claim a block per byte, each of as many items
    // as bytes are left: some 10^11 items read from a megabyte.
    private long _itemsLeft = body.Length - body.Position;

    private long Remaining => body.Length - body.Position;

    public byte[] ReadBytes()
    {
        var bytes = new byte[Length("bytes")];
        _inner.ReadFixed(bytes);
        return bytes;
    }

    public string ReadString()
    {
        var length = Length("string");
        // The stream's buffer is public (the serde opens it so): decode in place, no copy.
        body.TryGetBuffer(out var buffer);
        var text = System.Text.Encoding.UTF8.GetString(buffer.Array!, buffer.Offset + (int)body.Position, length);
        body.Seek(length, SeekOrigin.Current);
        return text;
    }

    public void SkipBytes() => body.Seek(Length("bytes"), SeekOrigin.Current);

    public void SkipString() => body.Seek(Length("string"), SeekOrigin.Current);

    public long ReadArrayStart() => Count(_inner.ReadArrayStart(), "array");

    public long ReadArrayNext() => Count(_inner.ReadArrayNext(), "array");

    public long ReadMapStart() => Count(_inner.ReadMapStart(), "map");

    public long ReadMapNext() => Count(_inner.ReadMapNext(), "map");

    public void ReadFixed(byte[] buffer) => ReadFixed(buffer, 0, buffer?.Length ?? 0);

    public void ReadFixed(byte[] buffer, int start, int length)
    {
        if (length > Remaining)
        {
            throw new AvroException($"a fixed of {length} bytes is longer than the {Remaining} bytes left");
        }
        _inner.ReadFixed(buffer, start, length);
    }

    public void SkipFixed(int length)
    {
        if (length > Remaining)
        {
            throw new AvroException($"a fixed of {length} bytes is longer than the {Remaining} bytes left");
        }
        body.Seek(length, SeekOrigin.Current);
    }

    public void ReadNull() => _inner.ReadNull();

    public bool ReadBoolean() => _inner.ReadBoolean();

    public int ReadInt() => _inner.ReadInt();

    public long ReadLong() => _inner.ReadLong();

    public float ReadFloat() => _inner.ReadFloat();

    public double ReadDouble() => _inner.ReadDouble();

    public int ReadEnum() => _inner.ReadEnum();

    public int ReadUnionIndex() => _inner.ReadUnionIndex();

    public void SkipNull() => _inner.SkipNull();

    public void SkipBoolean() => _inner.SkipBoolean();

    public void SkipInt() => _inner.SkipInt();

    public void SkipLong() => _inner.SkipLong();

    public void SkipFloat() => _inner.SkipFloat();

    public void SkipDouble() => _inner.SkipDouble();

    public void SkipEnum() => _inner.SkipEnum();

    public void SkipUnionIndex() => _inner.SkipUnionIndex();

    private int Length(string what)
    {
        var length = _inner.ReadLong();
        return length < 0 || length > Remaining
            ? throw new AvroException($"a {what} of {length} bytes does not fit in the {Remaining} bytes left")
            : (int)length;
    }

    // A block cannot hold more items than bytes are left, nor the record more items than bytes; a block of 0 ends the array or map.
    private long Count(long count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw new AvroException($"an {what} block of {count} items cannot fit in the {Remaining} bytes left");
        }
        _itemsLeft -= count;
        return _itemsLeft < 0
            ? throw new AvroException($"an {what} block of {count} items makes more items than the record has bytes ({body.Length})")
            : count;
    }
}
