using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Numerics;
using System.Text;
using Avro;

namespace OmniStream.Schemas.Wire;

/// <summary>
/// Writes Avro's binary encoding into a buffer (zig-zag varints, UTF-8 strings, blocks of arrays and
/// maps), byte for byte as Apache.Avro writes it, with no allocation of its own: what the contracts'
/// generated writers (<see cref="IAvroBinary{T}"/>) write with.
/// </summary>
/// <param name="output">Where the bytes go.</param>
public ref struct AvroWriter(IBufferWriter<byte> output)
{
    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Writes a boolean (one byte).</summary>
    public readonly void WriteBoolean(bool value)
    {
        output.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        output.Advance(1);
    }

    /// <summary>Writes an int (zig-zag varint).</summary>
    public readonly void WriteInt(int value) => WriteLong(value);

    /// <summary>Writes a long (zig-zag varint).</summary>
    public readonly void WriteLong(long value)
    {
        var span = output.GetSpan(10);
        var n = (ulong)((value << 1) ^ (value >> 63));
        var written = 0;
        while (n >= 0x80)
        {
            span[written++] = (byte)(n | 0x80);
            n >>= 7;
        }
        span[written++] = (byte)n;
        output.Advance(written);
    }

    /// <summary>Writes a float (4 bytes, little-endian).</summary>
    public readonly void WriteFloat(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    /// <summary>Writes a double (8 bytes, little-endian).</summary>
    public readonly void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    /// <summary>Writes bytes (length, then the bytes).</summary>
    public readonly void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        value.CopyTo(output.GetSpan(value.Length));
        output.Advance(value.Length);
    }

    /// <summary>Writes a string (length of its UTF-8 form, then the UTF-8 bytes).</summary>
    /// <exception cref="ArgumentNullException">The string is null where the schema allows none.</exception>
    public readonly void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteLong(length);
        var written = Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(written);
    }

    /// <summary>Writes an enum symbol's index, one of <paramref name="symbols"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is no symbol of the enum.</exception>
    public readonly void WriteEnum(int index, int symbols) =>
        WriteLong(index >= 0 && index < symbols ? index : throw new ArgumentOutOfRangeException(nameof(index), $"{index} is not one of the enum's {symbols} symbols"));

    /// <summary>Writes the index of a union's branch.</summary>
    public readonly void WriteUnionIndex(int index) => WriteLong(index);

    /// <summary>Starts a block of <paramref name="count"/> items of an array or a map (nothing for none).</summary>
    public readonly void WriteBlockStart(int count)
    {
        if (count > 0)
        {
            WriteLong(count);
        }
    }

    /// <summary>Ends an array or a map (a block of no items).</summary>
    public readonly void WriteBlockEnd() => WriteLong(0);

    /// <summary>Writes a <c>uuid</c> (its string form, as <see cref="Guid.ToString()"/> gives it).</summary>
    public readonly void WriteUuid(Guid value)
    {
        const int Length = 36;
        WriteLong(Length);
        Utf8Formatter.TryFormat(value, output.GetSpan(Length), out _, 'D');
        output.Advance(Length);
    }

    /// <summary>Writes a <c>timestamp-millis</c>: milliseconds since the Unix epoch, truncated, of the time in UTC.</summary>
    public readonly void WriteTimestampMillis(DateTime value) => WriteLong((value.ToUniversalTime() - UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond);

    /// <summary>Writes a <c>decimal</c> of <paramref name="scale"/> as bytes: its unscaled value, big-endian two's complement, shortest form.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value's scale is not the schema's.</exception>
    public readonly void WriteDecimal(AvroDecimal value, int scale)
    {
        if (value.Scale != scale)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"The decimal value has a scale of {value.Scale} which cannot be encoded against a logical 'decimal' with a scale of {scale}");
        }
        var unscaled = value.UnscaledValue;
        var length = unscaled.GetByteCount();
        WriteLong(length);
        unscaled.TryWriteBytes(output.GetSpan(length), out var written, isUnsigned: false, isBigEndian: true);
        output.Advance(written);
    }
}
