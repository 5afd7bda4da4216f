using System.Buffers;
using MemoryPack;

namespace OmniStream.Customers.State;

/// <summary>
/// How a customer's state lies in the worker's store, so that an event rewrites what it changed and
/// not the customer's whole history: the core section (<see cref="CustomerStateCodec"/>, with the
/// timeline's index) under the customer's key, and as parts of their own under the same key (the
/// worker's store keeps a key's parts next to it, in key order: actions, sections, then lines) each
/// other section that holds something, each action and each timeline line. A
/// line's or an action's value is the format byte <see cref="CustomerStateCodec.Binary"/> and the
/// record in MemoryPack's layout. A customer handed over to another (a merge) travels whole:
/// <see cref="EncodeHandOver"/>.
/// </summary>
public static class CustomerLayout
{
    /// <summary>The first byte of a hand-over: a core, then the timeline lines and the actions.</summary>
    public const byte HandOver = 4;

    // The members of an InteractionRecord, as MemoryPack counts them in its header.
    private const byte LineMembers = 5;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The stored value of a timeline line.</summary>
    public static byte[] EncodeLine(InteractionRecord line) => Encode(line);

    /// <summary>The stored value of an action.</summary>
    public static byte[] EncodeAction(ActionRecord action) => Encode(action);

    /// <summary>The record stored as <paramref name="part"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a stored record of that part.</exception>
    public static IStamped DecodePart(CustomerPart part, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value[0] != CustomerStateCodec.Binary)
        {
            throw new InvalidDataException($"a stored {part} does not start with format byte {CustomerStateCodec.Binary}");
        }
        try
        {
            IStamped? record = part.Kind switch
            {
                CustomerPart.LineKind => MemoryPackSerializer.Deserialize<InteractionRecord>(value[1..]),
                _ => MemoryPackSerializer.Deserialize<ActionRecord>(value[1..]),
            };
            return record is not null && record.EventId == part.Id
                ? record
                : throw new InvalidDataException($"a stored {part} holds another record");
        }
        catch (Exception e) when (e is MemoryPackSerializationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"not a stored {part}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The whole of <paramref name="state"/>, whose timeline lines are held whole, as it travels to the
    /// customer it is merged into: its core, its lines and its actions.
    /// </summary>
    public static byte[] EncodeHandOver(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var whole = CustomerStateCodec.Encode(state);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        buffer.GetSpan(1)[0] = HandOver;
        buffer.Advance(1);
        using var options = MemoryPackWriterOptionalStatePool.Rent(MemoryPackSerializerOptions.Utf8);
        var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, options);
        writer.WriteUnmanagedArray(whole);
        var lines = state.Timeline.Entries.Select(e => e.Line ?? throw new InvalidOperationException($"a state handed over must hold its timeline lines whole (event {e.EventId})")).ToList();
        writer.WriteCollectionHeader(lines.Count);
        foreach (var line in lines)
        {
            writer.WritePackable(line);
        }
        writer.WriteCollectionHeader(state.Actions.Count);
        foreach (var action in state.Actions)
        {
            writer.WritePackable(action);
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A state handed over (<see cref="EncodeHandOver"/>, or a state stored whole, as hand-overs were
    /// before), its lines and actions held as not written yet.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are neither.</exception>
    public static CustomerState DecodeHandOver(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes[0] != HandOver)
        {
            return CustomerStateCodec.Decode(bytes);
        }
        try
        {
            using var options = MemoryPackReaderOptionalStatePool.Rent(MemoryPackSerializerOptions.Utf8);
            var reader = new MemoryPackReader(bytes[1..], options);
            var state = CustomerStateCodec.Decode(reader.ReadUnmanagedArray<byte>() ?? throw new InvalidDataException("a hand-over has no state"));
            // The core's index names lines stored where the state came from: here its lines are new.
            state.Timeline.Forget();
            for (var i = Count(ref reader); i > 0; i--)
            {
                state.Timeline.Add(reader.ReadPackable<InteractionRecord>() ?? throw new InvalidDataException("a hand-over holds a null line"));
            }
            for (var i = Count(ref reader); i > 0; i--)
            {
                state.Actions.Add(reader.ReadPackable<ActionRecord>() ?? throw new InvalidDataException("a hand-over holds a null action"), int.MaxValue);
            }
            return reader.Remaining == 0 ? state : throw new InvalidDataException($"{reader.Remaining} bytes left over after a hand-over");
        }
        catch (Exception e) when (e is MemoryPackSerializationException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"not a hand-over: {e.Message}", e);
        }
    }

    /// <summary>
    /// The event id and time of a stored timeline line, read from its first bytes without decoding the
    /// rest: MemoryPack writes a record's member count, then its leading unmanaged members in order
    /// (<see cref="InteractionRecord.EventId"/>, <see cref="InteractionRecord.At"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not the line of <paramref name="part"/>.</exception>
    public static (Guid EventId, DateTime At) ReadLineIndex(CustomerPart part, ReadOnlySpan<byte> value)
    {
        const int IdOffset = 2;
        const int AtOffset = IdOffset + 16;
        if (value.Length < AtOffset + sizeof(long) || value[0] != CustomerStateCodec.Binary || value[1] != LineMembers)
        {
            throw new InvalidDataException($"a stored {part} does not start with format byte {CustomerStateCodec.Binary} and a line's {LineMembers} members");
        }
        var eventId = new Guid(value.Slice(IdOffset, 16));
        var at = System.Runtime.InteropServices.MemoryMarshal.Read<DateTime>(value[AtOffset..]);
        return eventId == part.Id && at.Kind == DateTimeKind.Utc
            ? (eventId, at)
            : throw new InvalidDataException($"a stored {part} holds another line");
    }

    /// <summary>
    /// A stored customer as a view or an export reads it: its core (<paramref name="core"/>) with every
    /// part (<paramref name="parts"/>, each named by its part: sections, and lines and actions held whole).
    /// </summary>
    /// <exception cref="InvalidDataException">The core or a part cannot be read.</exception>
    public static CustomerState Join(ReadOnlySpan<byte> core, IEnumerable<(CustomerPart Part, byte[] Value)> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var state = CustomerStateCodec.Decode(core);
        foreach (var (part, value) in parts)
        {
            Add(state, part, value);
        }
        return state;
    }

    /// <summary>Adds a stored part to <paramref name="state"/>: a section's members, an action, or a timeline line, held whole.</summary>
    /// <exception cref="InvalidDataException">The part cannot be read.</exception>
    public static void Add(CustomerState state, CustomerPart part, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (part.Kind)
        {
            case CustomerPart.SectionKind:
                CustomerStateCodec.ReadSection(state, value);
                break;
            case CustomerPart.ActionKind:
                state.Actions.AddStored((ActionRecord)DecodePart(part, value));
                break;
            default:
                // Found before by its time (in the index of a core written before, or by its key): now it is held whole.
                var line = (InteractionRecord)DecodePart(part, value);
                if (!state.Timeline.Hold(line))
                {
                    state.Timeline.AddStored(line.At, line.EventId, line);
                }
                break;
        }
    }

    private static byte[] Encode<T>(T record) where T : IMemoryPackable<T>
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        buffer.GetSpan(1)[0] = CustomerStateCodec.Binary;
        buffer.Advance(1);
        MemoryPackSerializer.Serialize(buffer, record, MemoryPackSerializerOptions.Utf8);
        return buffer.WrittenSpan.ToArray();
    }

    private static int Count(ref MemoryPackReader reader) =>
        reader.TryReadCollectionHeader(out var count) && count >= 0 && count <= reader.Remaining
            ? count
            : throw new InvalidDataException($"a hand-over's list has no valid length ({count})");
}
