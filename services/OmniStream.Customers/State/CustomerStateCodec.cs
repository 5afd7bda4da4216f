using System.Buffers;
using MemoryPack;
using OmniStream.Customers.State.Legacy;

namespace OmniStream.Customers.State;

/// <summary>
/// A customer's state as stored under its key in the worker's store and changelog: the core (the
/// state without its timeline lines and actions, which are parts of their own, see
/// <see cref="CustomerLayout"/>), as format byte <see cref="Core"/> and its members in
/// <see cref="CoreLayout"/>'s order. Encoded once per commit into a buffer the thread reuses, so
/// the only allocation is the result. States stored before (format 2, MemoryPack of the whole
/// record; format 1, JSON) are read too (<see cref="LegacyFormats"/>), their lists inline.
/// </summary>
public static class CustomerStateCodec
{
    /// <summary>The format byte of MemoryPack records: a part (timeline line, action), and a whole state stored before the working state.</summary>
    public const byte Binary = 2;

    /// <summary>The format byte of a working state's core.</summary>
    public const byte Core = 3;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The stored form of <paramref name="state"/>'s core.</summary>
    public static byte[] Encode(CustomerState state)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Write(state, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the stored form of <paramref name="state"/>'s core to <paramref name="output"/>.</summary>
    public static void Write(CustomerState state, ArrayBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(output);
        output.GetSpan(1)[0] = Core;
        output.Advance(1);
        using var options = MemoryPackWriterOptionalStatePool.Rent(MemoryPackSerializerOptions.Utf8);
        var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref output, options);
        CoreLayout.Write(ref writer, state);
        writer.Flush();
    }

    /// <summary>
    /// The state stored in <paramref name="bytes"/>, in any format: a core (its timeline and actions
    /// are parts, added by the reader), or a state stored whole before (its lines and actions inline,
    /// held as not written yet).
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a stored customer state.</exception>
    public static CustomerState Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new InvalidDataException("a stored customer is empty");
        }
        if (bytes[0] != Core)
        {
            return LegacyFormats.ToWorkingState(LegacyFormats.Decode(bytes));
        }
        try
        {
            using var options = MemoryPackReaderOptionalStatePool.Rent(MemoryPackSerializerOptions.Utf8);
            var reader = new MemoryPackReader(bytes[1..], options);
            var state = CoreLayout.Read(ref reader);
            return reader.Remaining == 0
                ? state
                : throw new InvalidDataException($"{reader.Remaining} bytes left over after a stored customer");
        }
        catch (Exception e) when (e is MemoryPackSerializationException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"not a stored customer state: {e.Message}", e);
        }
    }

    /// <summary><paramref name="state"/> in full (timeline lines and actions held whole) as JSON, in format 1's layout: for people and exports.</summary>
    public static byte[] ToJson(CustomerState state) => LegacyFormats.ToJson(LegacyFormats.FromWorkingState(state));
}
