using System.Buffers;
using System.Collections.Immutable;
using MemoryPack;

namespace OmniStream.Customers.State;

/// <summary>
/// How a customer's state lies in the worker's store, so that an event rewrites what it changed and
/// not the customer's whole history: the core (the state without its timeline and its actions)
/// under the customer's key, and each timeline line and each action as a part of its own under the
/// same key (the worker's store keeps a key's parts next to it). A part's value is the format byte
/// <see cref="CustomerStateCodec.Binary"/> and the record in MemoryPack's layout. A state stored
/// whole, before parts existed (binary or JSON, its lists inline), still reads: its lists join the
/// parts, and the next write moves them into parts.
/// </summary>
public static class CustomerLayout
{
    /// <summary>The state without its timeline and actions: what is stored under the customer's key.</summary>
    public static CustomerState Core(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Interactions.IsEmpty && state.Actions.IsEmpty ? state : state with { Interactions = [], Actions = [] };
    }

    /// <summary>The timeline lines and actions of <paramref name="state"/>, by part.</summary>
    public static Dictionary<CustomerPart, IStamped?> PartsOf(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var parts = new Dictionary<CustomerPart, IStamped?>(state.Interactions.Count + state.Actions.Count);
        foreach (var line in state.Interactions)
        {
            parts[CustomerPart.Line(line.EventId)] = line;
        }
        foreach (var action in state.Actions)
        {
            parts[CustomerPart.Action(action.ActionId)] = action;
        }
        return parts;
    }

    /// <summary>
    /// What to write for <paramref name="state"/> where <paramref name="stored"/> are the parts stored
    /// now (a null record: stored, content unknown): the value of each new or changed part, and null
    /// for each part to delete.
    /// </summary>
    public static IEnumerable<(CustomerPart Part, byte[]? Value)> Changes(IReadOnlyDictionary<CustomerPart, IStamped?> stored, CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(state);
        var kept = new HashSet<CustomerPart>(state.Interactions.Count + state.Actions.Count);
        foreach (var line in state.Interactions)
        {
            var part = CustomerPart.Line(line.EventId);
            kept.Add(part);
            if (!stored.TryGetValue(part, out var old) || !Equals(old, line))
            {
                yield return (part, Encode(line));
            }
        }
        foreach (var action in state.Actions)
        {
            var part = CustomerPart.Action(action.ActionId);
            kept.Add(part);
            if (!stored.TryGetValue(part, out var old) || !Equals(old, action))
            {
                yield return (part, Encode(action));
            }
        }
        foreach (var part in stored.Keys.Where(part => !kept.Contains(part)))
        {
            yield return (part, null);
        }
    }

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

    /// <summary>The whole state: <paramref name="core"/> with <paramref name="parts"/> in its timeline and actions, newest first.</summary>
    public static CustomerState Join(CustomerState core, IReadOnlyCollection<IStamped> parts)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(parts);
        return parts.Count == 0 ? core : core with
        {
            Interactions = Stamped.Newest(core.Interactions, parts.OfType<InteractionRecord>(), int.MaxValue),
            Actions = Stamped.Newest(core.Actions, parts.OfType<ActionRecord>(), int.MaxValue),
        };
    }

    private static byte[] Encode<T>(T record)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        writer.GetSpan(1)[0] = CustomerStateCodec.Binary;
        writer.Advance(1);
        MemoryPackSerializer.Serialize(writer, record, MemoryPackSerializerOptions.Utf8);
        return writer.WrittenSpan.ToArray();
    }
}
