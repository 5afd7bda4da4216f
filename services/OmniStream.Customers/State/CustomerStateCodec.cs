using System.Buffers;
using System.Buffers.Binary;
using MemoryPack;
using OmniStream.Customers.State.Legacy;

namespace OmniStream.Customers.State;

/// <summary>
/// A customer's state as the worker stores it: its sections (<see cref="StateSections"/>), each as
/// format byte <see cref="Section"/>, the section's number and its members — the core under the
/// customer's key, the other sections as parts beside it (<see cref="CustomerLayout"/>) — and as a
/// whole (<see cref="Whole"/>: every section, for a hand-over or a sample). Each is encoded into a
/// buffer the thread reuses, so the only allocation is the result. States stored before the working
/// state (format 2, MemoryPack of the whole record; format 1, JSON) are read too
/// (<see cref="LegacyFormats"/>), their lists inline.
/// </summary>
public static class CustomerStateCodec
{
    /// <summary>The format byte of MemoryPack records: a part (timeline line, action), and a whole state stored before the working state.</summary>
    public const byte Binary = 2;

    /// <summary>The format byte of a section of a working state (the core is section 0).</summary>
    public const byte Section = 3;

    /// <summary>The format byte of a whole working state: every section that holds something, each as its number, its length (4 bytes) and its members.</summary>
    public const byte Whole = 5;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_section;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_whole;

    /// <summary>Writes <paramref name="section"/> of <paramref name="state"/>, as stored, to <paramref name="output"/>.</summary>
    public static void WriteSection(CustomerState state, int section, ArrayBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(output);
        var header = output.GetSpan(2);
        header[0] = Section;
        header[1] = (byte)section;
        output.Advance(2);
        using var options = MemoryPackWriterOptionalStatePool.Rent(MemoryPackSerializerOptions.Utf8);
        var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref output, options);
        StateSections.Write(ref writer, state, section);
        writer.Flush();
    }

    /// <summary>The stored form of <paramref name="state"/>'s core (section 0), as under the customer's key.</summary>
    public static byte[] EncodeCore(CustomerState state)
    {
        var buffer = Reset(ref t_section);
        WriteSection(state, StateSections.Core, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><paramref name="state"/> whole: every section that holds something, but the segments' times (see <see cref="StateSections.SegmentTimes"/>).</summary>
    public static byte[] Encode(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var whole = Reset(ref t_whole);
        whole.GetSpan(1)[0] = Whole;
        whole.Advance(1);
        for (var section = 0; section < StateSections.Count; section++)
        {
            if (section == StateSections.SegmentTimes || (section != StateSections.Core && StateSections.IsEmpty(state, section)))
            {
                continue;
            }
            var bytes = Reset(ref t_section);
            WriteSection(state, section, bytes);
            BinaryPrimitives.WriteInt32LittleEndian(whole.GetSpan(sizeof(int)), bytes.WrittenCount);
            whole.Advance(sizeof(int));
            bytes.WrittenSpan.CopyTo(whole.GetSpan(bytes.WrittenCount));
            whole.Advance(bytes.WrittenCount);
        }
        return whole.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The state stored in <paramref name="bytes"/>, in any format: a whole working state, a core alone
    /// (its other sections, timeline and actions are parts, added by the reader), or a state stored whole
    /// before the working state (its lines and actions held as not written yet).
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a stored customer state.</exception>
    public static CustomerState Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new InvalidDataException("a stored customer is empty");
        }
        switch (bytes[0])
        {
            case Section:
                return bytes.Length > 1 && bytes[1] == StateSections.Core
                    ? Guarded(bytes, static b => ReadCore(b))
                    : throw new InvalidDataException("a stored customer's key holds a section other than its core");
            case Whole:
                return Guarded(bytes, static b => ReadWhole(b));
            default:
                return LegacyFormats.ToWorkingState(LegacyFormats.Decode(bytes));
        }
    }

    /// <summary>Reads a stored section other than the core into <paramref name="state"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not such a section.</exception>
    public static void ReadSection(CustomerState state, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (bytes.Length < 2 || bytes[0] != Section || bytes[1] is <= StateSections.Core or >= StateSections.Count)
        {
            throw new InvalidDataException($"a stored section does not start with format byte {Section} and a section's number");
        }
        try
        {
            using var options = MemoryPackReaderOptionalStatePool.Rent(MemoryPackSerializerOptions.Utf8);
            var reader = new MemoryPackReader(bytes[2..], options);
            StateSections.Read(ref reader, state, bytes[1]);
            if (reader.Remaining != 0)
            {
                throw new InvalidDataException($"{reader.Remaining} bytes left over after section {bytes[1]} of a stored customer");
            }
        }
        catch (Exception e) when (e is MemoryPackSerializationException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"not a stored section of a customer: {e.Message}", e);
        }
    }

    /// <summary><paramref name="state"/> in full (timeline lines and actions held whole) as JSON, in format 1's layout: for people and exports.</summary>
    public static byte[] ToJson(CustomerState state) => LegacyFormats.ToJson(LegacyFormats.FromWorkingState(state));

    private static CustomerState ReadCore(ReadOnlySpan<byte> bytes)
    {
        using var options = MemoryPackReaderOptionalStatePool.Rent(MemoryPackSerializerOptions.Utf8);
        var reader = new MemoryPackReader(bytes[2..], options);
        var state = StateSections.ReadCore(ref reader);
        return reader.Remaining == 0 ? state : throw new InvalidDataException($"{reader.Remaining} bytes left over after a stored customer's core");
    }

    private static CustomerState ReadWhole(ReadOnlySpan<byte> bytes)
    {
        CustomerState? state = null;
        for (var rest = bytes[1..]; !rest.IsEmpty;)
        {
            var length = rest.Length >= sizeof(int) ? BinaryPrimitives.ReadInt32LittleEndian(rest) : -1;
            if (length < 2 || length > rest.Length - sizeof(int))
            {
                throw new InvalidDataException($"a section of a whole customer claims {length} bytes, {rest.Length - sizeof(int)} are left");
            }
            var section = rest.Slice(sizeof(int), length);
            if (state is null)
            {
                state = section[1] == StateSections.Core ? ReadCore(section) : throw new InvalidDataException("a whole customer does not start with its core");
            }
            else
            {
                ReadSection(state, section);
            }
            rest = rest[(sizeof(int) + length)..];
        }
        return state ?? throw new InvalidDataException("a whole customer holds no section");
    }

    private static CustomerState Guarded(ReadOnlySpan<byte> bytes, ReadSpan read)
    {
        try
        {
            return read(bytes);
        }
        catch (Exception e) when (e is MemoryPackSerializationException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"not a stored customer state: {e.Message}", e);
        }
    }

    private static ArrayBufferWriter<byte> Reset(ref ArrayBufferWriter<byte>? buffer)
    {
        buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        return buffer;
    }

    private delegate CustomerState ReadSpan(ReadOnlySpan<byte> bytes);
}
