using System.Buffers;
using System.Collections.Immutable;
using MemoryPack;
using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// The members of a working state's core (<see cref="CustomerStateCodec.Core"/>), in order, written
/// with MemoryPack's primitives (records in their MemoryPack layout, strings in UTF-8). Computed
/// members (open cart, last and preferred channel, open tickets, next due time) are not stored, and
/// neither are the timeline lines and actions, which are parts of their own.
/// </summary>
internal static class CoreLayout
{
    public static void Write<TBuffer>(ref MemoryPackWriter<TBuffer> writer, CustomerState state) where TBuffer : IBufferWriter<byte>
    {
        writer.WriteString(state.CustomerId);
        WriteStrings(ref writer, state.LinkedIds);
        writer.WriteUnmanaged(state.LastEventAt);
        writer.WriteCollectionHeader(state.Profile.Count);
        for (var i = 0; i < state.Profile.Count; i++)
        {
            writer.WriteString(state.Profile.Keys[i]);
            writer.WritePackable(state.Profile.Values[i]);
        }
        WriteAll(ref writer, state.Consents.Values);
        writer.WriteCollectionHeader(state.Channels.Count);
        for (var channel = 0; channel < ChannelActivities.Slots; channel++)
        {
            if (state.Channels.Find((Channel)channel) is { } activity)
            {
                writer.WriteUnmanaged(channel, activity.FirstSeenAt, activity.LastSeenAt, activity.Interactions);
            }
        }
        writer.WritePackable(state.LatestCart);
        WriteAll(ref writer, state.Orders.Values);
        writer.WritePackable(state.OlderOrders);
        WriteAll(ref writer, state.Tickets.Values);
        WriteAll(ref writer, state.ProductViews);
        writer.WritePackable(state.LastNps);
        writer.WritePackable(state.LastCes);
        WriteAll(ref writer, state.Pending.Values);
        WriteAll(ref writer, state.RefusedLinks);
        WriteStrings(ref writer, state.Segments);
        WriteTime(ref writer, state.MarketingPausedUntil);
        WriteAll(ref writer, state.Silent);
        WriteStrings(ref writer, state.Absorbed);
        writer.WriteCollectionHeader(state.Journeys.Count);
        for (var i = 0; i < state.Journeys.Count; i++)
        {
            var journey = state.Journeys.Values[i];
            writer.WriteString(state.Journeys.Keys[i]);
            writer.WriteUnmanaged(journey.StartedAt, journey.Converted);
            writer.WriteCollectionHeader(journey.Scopes.Length);
            foreach (var scope in journey.Scopes)
            {
                writer.WriteString(scope);
            }
        }
        WriteTime(ref writer, state.ArmedDue);
        writer.WriteCollectionHeader(state.EarlierEventIds.Count);
        for (var i = 0; i < state.EarlierEventIds.Count; i++)
        {
            writer.WriteUnmanaged(state.EarlierEventIds.Keys[i], state.EarlierEventIds.Values[i]);
        }
    }

    public static CustomerState Read(ref MemoryPackReader reader)
    {
        var state = new CustomerState(reader.ReadString() ?? throw new InvalidDataException("a stored customer has no customer id"));
        ReadStrings(ref reader, state.LinkedIds.Add);
        state.LastEventAt = reader.ReadUnmanaged<DateTime>();
        for (var i = Count(ref reader); i > 0; i--)
        {
            state.Profile[Required(reader.ReadString())] = Required(reader.ReadPackable<ProfileValue>());
        }
        ReadAll<ConsentRecord>(ref reader, c => state.Consents[ConsentRecord.KeyOf(c.Purpose, c.Channel)] = c);
        for (var i = Count(ref reader); i > 0; i--)
        {
            reader.ReadUnmanaged(out int channel, out DateTime first, out DateTime last, out int interactions);
            state.Channels.Set((Channel)channel, new ChannelActivity(first, last, interactions));
        }
        state.LatestCart = reader.ReadPackable<CartSnapshot>();
        ReadAll<OrderRecord>(ref reader, o => state.Orders[o.OrderId] = o);
        state.OlderOrders = Required(reader.ReadPackable<OrderTotals>());
        ReadAll<TicketRecord>(ref reader, t => state.Tickets[t.TicketId] = t);
        ReadAll<ProductView>(ref reader, state.ProductViews.Add);
        state.LastNps = reader.ReadPackable<SurveyScore>();
        state.LastCes = reader.ReadPackable<SurveyScore>();
        ReadAll<PendingDecision>(ref reader, p => state.Pending[p.Key] = p);
        ReadAll<RefusedLink>(ref reader, state.RefusedLinks.Add);
        ReadStrings(ref reader, state.Segments.Add);
        state.MarketingPausedUntil = ReadTime(ref reader);
        ReadAll<SilentDecision>(ref reader, state.Silent.Add);
        ReadStrings(ref reader, state.Absorbed.Add);
        for (var i = Count(ref reader); i > 0; i--)
        {
            var key = Required(reader.ReadString());
            reader.ReadUnmanaged(out DateTime startedAt, out bool converted);
            var scopes = ImmutableArray.CreateBuilder<string>();
            ReadStrings(ref reader, scopes.Add);
            state.Journeys[key] = new Journey(startedAt, scopes.ToImmutable(), converted);
        }
        state.ArmedDue = ReadTime(ref reader);
        for (var i = Count(ref reader); i > 0; i--)
        {
            reader.ReadUnmanaged(out Guid id, out DateTime at);
            state.EarlierEventIds[id] = at;
        }
        return state;
    }

    private static void WriteTime<TBuffer>(ref MemoryPackWriter<TBuffer> writer, DateTime? time) where TBuffer : IBufferWriter<byte> =>
        writer.WriteUnmanaged(time.HasValue, time.GetValueOrDefault());

    private static DateTime? ReadTime(ref MemoryPackReader reader)
    {
        reader.ReadUnmanaged(out bool has, out DateTime time);
        return has ? time : null;
    }

    private static void WriteStrings<TBuffer>(ref MemoryPackWriter<TBuffer> writer, SortedStrings strings) where TBuffer : IBufferWriter<byte>
    {
        writer.WriteCollectionHeader(strings.Count);
        for (var i = 0; i < strings.Count; i++)
        {
            writer.WriteString(strings[i]);
        }
    }

    private static void WriteAll<TBuffer, T>(ref MemoryPackWriter<TBuffer> writer, IList<T> records) where TBuffer : IBufferWriter<byte> where T : IMemoryPackable<T>
    {
        writer.WriteCollectionHeader(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            writer.WritePackable(records[i]);
        }
    }

    private static void ReadStrings(ref MemoryPackReader reader, Func<string, bool> add) => ReadStrings(ref reader, s => { add(s); });

    private static void ReadStrings(ref MemoryPackReader reader, Action<string> add)
    {
        for (var i = Count(ref reader); i > 0; i--)
        {
            add(Required(reader.ReadString()));
        }
    }

    private static void ReadAll<T>(ref MemoryPackReader reader, Action<T> add) where T : class, IMemoryPackable<T>
    {
        for (var i = Count(ref reader); i > 0; i--)
        {
            add(Required(reader.ReadPackable<T>()));
        }
    }

    private static int Count(ref MemoryPackReader reader) =>
        reader.TryReadCollectionHeader(out var count) && count >= 0 && count <= reader.Remaining
            ? count
            : throw new InvalidDataException($"a collection of a stored customer has no valid length ({count}, {reader.Remaining} bytes left)");

    private static T Required<T>(T? value) where T : class => value ?? throw new InvalidDataException($"a stored customer holds a null {typeof(T).Name}");
}
