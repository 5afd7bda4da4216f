using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Avro;

namespace OmniStream.Schemas.Wire;

/// <summary>
/// Reads Avro's binary encoding from a message's bytes in place, as the contracts' generated readers
/// (<see cref="IAvroBinary{T}"/>) do. Every length and count is checked against the bytes left before
/// anything is allocated (each item of an array or map takes at least one byte in our contracts), so a
/// record costs about its own size whatever it claims; what does not read throws
/// <see cref="FormatException"/> naming why. Short strings (ids, product codes, currencies, which
/// recur from event to event) are made once per thread while they recur (<see cref="RecentStrings"/>).
/// </summary>
/// <param name="body">The encoded record.</param>
public ref struct AvroReader(ReadOnlySpan<byte> body)
{
    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly ReadOnlySpan<byte> _body = body;
    private int _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _body.Length - _position;

    /// <summary>Reads a boolean.</summary>
    public bool ReadBoolean() => Take(1)[0] switch
    {
        0 => false,
        1 => true,
        var other => throw new FormatException($"a boolean is 0 or 1, not {other}"),
    };

    /// <summary>Reads an int (zig-zag varint).</summary>
    public int ReadInt()
    {
        var value = ReadLong();
        return value is < int.MinValue or > int.MaxValue ? throw new FormatException($"{value} does not fit an int") : (int)value;
    }

    /// <summary>Reads a long (zig-zag varint of at most 10 bytes).</summary>
    public long ReadLong()
    {
        ulong n = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Take(1)[0];
            n |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return (long)(n >> 1) ^ -(long)(n & 1);
            }
        }
        throw new FormatException("a varint runs past 10 bytes");
    }

    /// <summary>Reads a float.</summary>
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    /// <summary>Reads a double.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads bytes.</summary>
    public byte[] ReadBytes() => Take(Length("bytes")).ToArray();

    /// <summary>Reads a string.</summary>
    public string ReadString()
    {
        return RecentStrings.Of(Take(Length("string")));
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>Reads a string, as where its UTF-8 bytes lie in the body (<see cref="Range"/>), without making it.</summary>
    public Range ReadStringRange()
    {
        var length = Length("string");
        var start = _position;
        Take(length);
        return start..(start + length);
    }

    /// <summary>Reads past a string, bytes or decimal (<paramref name="what"/>: its kind, for errors).</summary>
    public void Skip(string what) => Take(Length(what));

    /// <summary>Reads an enum symbol's index, one of <paramref name="symbols"/>.</summary>
    public int ReadEnum(int symbols)
    {
        var index = ReadLong();
        return index >= 0 && index < symbols ? (int)index : throw new FormatException($"enum index {index} is not one of the {symbols} symbols");
    }

    /// <summary>Reads the index of a union's branch, one of <paramref name="branches"/>.</summary>
    public int ReadUnionIndex(int branches)
    {
        var index = ReadLong();
        return index >= 0 && index < branches ? (int)index : throw new FormatException($"union index {index} is not one of the {branches} branches");
    }

    /// <summary>Reads the item count of the next block of an array or map (0 at its end); a block that gives its size in bytes is read as the count it gives.</summary>
    public int ReadBlockCount(string what)
    {
        var count = ReadLong();
        if (count < 0)
        {
            // A negative count is followed by the block's size in bytes.
            count = -count;
            ReadLong();
        }
        return count <= Remaining ? (int)count : throw new FormatException($"an {what} block of {count} items cannot fit in the {Remaining} bytes left");
    }

    /// <summary>Reads a <c>uuid</c>, in any of the string forms <see cref="Guid(string)"/> accepts.</summary>
    public Guid ReadUuid()
    {
        var text = Take(Length("uuid"));
        Span<char> chars = stackalloc char[68];
        return text.Length <= chars.Length && Encoding.UTF8.TryGetChars(text, chars, out var length) && Guid.TryParse(chars[..length], out var value)
            ? value
            : throw new FormatException($"a uuid of {text.Length} bytes is not a GUID");
    }

    /// <summary>Reads a <c>timestamp-millis</c> as a UTC time.</summary>
    public DateTime ReadTimestampMillis() => UnixEpoch.AddMilliseconds(ReadLong());

    /// <summary>Reads a <c>decimal</c> of <paramref name="scale"/> from bytes (big-endian two's complement).</summary>
    public AvroDecimal ReadDecimal(int scale) => new(new BigInteger(Take(Length("decimal")), isUnsigned: false, isBigEndian: true), scale);

    private int Length(string what)
    {
        var length = ReadLong();
        return length >= 0 && length <= Remaining ? (int)length : throw new FormatException($"a {what} of {length} bytes does not fit in the {Remaining} bytes left");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new FormatException($"{count} bytes wanted, {Remaining} left");
        }
        var taken = _body.Slice(_position, count);
        _position += count;
        return taken;
    }
}
