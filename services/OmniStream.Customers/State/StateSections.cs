using System.Buffers;
using System.Collections.Immutable;
using MemoryPack;
using OmniStream.Customers.Kpis;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// A working state's stored members, in sections that change apart, each written with MemoryPack's
/// primitives (records in their MemoryPack layout, strings in UTF-8): an event rewrites the core (its
/// time and channel) and the section its payload touched, not the rest. Computed members (open cart,
/// last and preferred channel, open tickets, next due time) are not stored, and neither are the
/// timeline lines and actions, which are parts of their own.
/// </summary>
public static class StateSections
{
    /// <summary>
    /// Who the customer is and what every event changes: the customer's id, ids, time, channels,
    /// segments, pause, timer, refused links and ids of earlier events. The timeline's index (each
    /// line's event id and time) is not stored: a customer read from the store finds it in the keys and
    /// first bytes of their lines (<see cref="CustomerLayout.ReadLineIndex"/>). Cores written before
    /// held it, in a list that cores now write empty; it is still read. Kept in the core, it made every
    /// event rewrite 24 bytes per line of the lateness window.
    /// </summary>
    public const int Core = 0;

    /// <summary>The latest product views.</summary>
    public const int Views = 1;

    /// <summary>The cart and the orders.</summary>
    public const int Commerce = 2;

    /// <summary>Profile attributes and consents.</summary>
    public const int Profile = 3;

    /// <summary>Support tickets and survey answers.</summary>
    public const int Service = 4;

    /// <summary>Moments waiting for their time, and moments that sent nothing.</summary>
    public const int Decisions = 5;

    /// <summary>The current journeys (KPIs).</summary>
    public const int Journeys = 6;

    /// <summary>
    /// When the customer entered each of their segments. Not in a whole state (<see cref="CustomerStateCodec.Encode"/>): a
    /// hand-over's segments are not merged (the customer's own are evaluated again), and a version before this section,
    /// still running beside this one in a rolling upgrade, reads every hand-over it is sent; a stored part of it that such a
    /// version reads is set aside, its times lost, the customer kept. Customers in a segment before it have no time there.
    /// </summary>
    public const int SegmentTimes = 7;

    /// <summary>How many sections there are.</summary>
    public const int Count = 8;

    // Tried and measured (2026-12-07): the core carrying the decisions, journeys and segments' times (a format of its own),
    // which spares a change about 1.1 of the 4.2 keys it writes. The stage bench showed no CPU gain (three pairs side by
    // side: customers 25.1 against 24.1 µs per event on its thread with all three, 17.3 against 18.2 with the journeys and
    // times alone; medians) and 70 to 115 more bytes allocated per event: the core is written at nearly every change, those
    // sections at a third to a half of them, so their bytes were copied more often than their keys were saved.

    /// <summary>
    /// True for a section whose every change marks the state (<see cref="CustomerState.MarkChanged"/>):
    /// a commit writes it only when marked, without encoding it to find out. The product views, the
    /// commerce, the profile and the service sections change only by the events of their payloads, a
    /// merge, and pruning; the journeys only by the KPI tracker (half the commits of a customer change
    /// none); the decisions only by the decision engine, silent moments and pruning. The core, which
    /// every event changes, is encoded at each commit of its customer and written when its bytes changed.
    /// </summary>
    public static bool MarksChanges(int section) => section != Core;

    /// <summary>True when <paramref name="section"/> of <paramref name="state"/> holds nothing (it is then not stored).</summary>
    public static bool IsEmpty(CustomerState state, int section)
    {
        ArgumentNullException.ThrowIfNull(state);
        return section switch
        {
            Core => false,
            Views => state.ProductViews.Count == 0,
            Commerce => state.LatestCart is null && state.Orders.Count == 0 && state.OlderOrders == OrderTotals.None,
            Profile => state.Profile.Count == 0 && state.Consents.Count == 0,
            Service => state.Tickets.Count == 0 && state.LastNps is null && state.LastCes is null,
            Decisions => state.Pending.Count == 0 && state.Silent.Count == 0,
            Journeys => state.Journeys.Count == 0,
            _ => state.SegmentsSince.Count == 0,
        };
    }

    /// <summary>Writes <paramref name="section"/> of <paramref name="state"/>.</summary>
    public static void Write<TBuffer>(ref MemoryPackWriter<TBuffer> writer, CustomerState state, int section) where TBuffer : IBufferWriter<byte>
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (section)
        {
            case Core:
                writer.WriteString(state.CustomerId);
                WriteStrings(ref writer, state.LinkedIds);
                writer.WriteUnmanaged(state.LastEventAt);
                writer.WriteCollectionHeader(state.Channels.Count);
                for (var channel = 0; channel < ChannelActivities.Slots; channel++)
                {
                    if (state.Channels.Find((Channel)channel) is { } activity)
                    {
                        writer.WriteUnmanaged(channel, activity.FirstSeenAt, activity.LastSeenAt, activity.Interactions);
                    }
                }
                WriteStrings(ref writer, state.Segments);
                WriteTime(ref writer, state.MarketingPausedUntil);
                WriteStrings(ref writer, state.Absorbed);
                WriteAll(ref writer, state.RefusedLinks);
                WriteTime(ref writer, state.ArmedDue);
                writer.WriteCollectionHeader(state.EarlierEventIds.Count);
                for (var i = 0; i < state.EarlierEventIds.Count; i++)
                {
                    writer.WriteUnmanaged(state.EarlierEventIds.Keys[i], state.EarlierEventIds.Values[i]);
                }
                // Where cores before kept the timeline's index: empty, the layout kept (see Core).
                writer.WriteCollectionHeader(0);
                break;
            case Views:
                WriteAll(ref writer, state.ProductViews);
                break;
            case Commerce:
                writer.WritePackable(state.LatestCart);
                WriteAll(ref writer, state.Orders.Values);
                writer.WritePackable(state.OlderOrders);
                break;
            case Profile:
                writer.WriteCollectionHeader(state.Profile.Count);
                for (var i = 0; i < state.Profile.Count; i++)
                {
                    writer.WriteString(state.Profile.Keys[i]);
                    writer.WritePackable(state.Profile.Values[i]);
                }
                WriteAll(ref writer, state.Consents.Values);
                break;
            case Service:
                WriteAll(ref writer, state.Tickets.Values);
                writer.WritePackable(state.LastNps);
                writer.WritePackable(state.LastCes);
                break;
            case Decisions:
                WriteAll(ref writer, state.Pending.Values);
                WriteAll(ref writer, state.Silent);
                break;
            case Journeys:
                writer.WriteCollectionHeader(state.Journeys.Count);
                for (var i = 0; i < state.Journeys.Count; i++)
                {
                    var journey = state.Journeys.Values[i];
                    writer.WriteString(state.Journeys.Keys[i]);
                    writer.WriteUnmanaged(journey.StartedAt, journey.Converted);
                    // A channel's journey, in that channel's scope alone: its scopes follow from its key, and are read so.
                    if (Journey.ScopesOf(state.Journeys.Keys[i]) is { IsDefault: false } implied && implied.SequenceEqual(journey.Scopes))
                    {
                        writer.WriteCollectionHeader(0);
                        continue;
                    }
                    writer.WriteCollectionHeader(journey.Scopes.Length);
                    foreach (var scope in journey.Scopes)
                    {
                        writer.WriteString(scope);
                    }
                }
                break;
            case SegmentTimes:
                writer.WriteCollectionHeader(state.SegmentsSince.Count);
                for (var i = 0; i < state.SegmentsSince.Count; i++)
                {
                    writer.WriteString(state.SegmentsSince.Keys[i]);
                    writer.WriteUnmanaged(state.SegmentsSince.Values[i]);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(section), section, "no such section");
        }
    }

    /// <summary>Reads <paramref name="section"/> into <paramref name="state"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not that section.</exception>
    public static void Read(ref MemoryPackReader reader, CustomerState state, int section)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (section)
        {
            case Core:
                throw new ArgumentException("the core is read by ReadCore: it names the customer", nameof(section));
            case Views:
                ReadAll<ProductView>(ref reader, state.ProductViews.Add);
                break;
            case Commerce:
                state.LatestCart = reader.ReadPackable<CartSnapshot>();
                ReadAll<OrderRecord>(ref reader, o => state.Orders[o.OrderId] = o);
                state.OlderOrders = Required(reader.ReadPackable<OrderTotals>());
                break;
            case Profile:
                for (var i = Length(ref reader); i > 0; i--)
                {
                    state.Profile[Required(reader.ReadString())] = Required(reader.ReadPackable<ProfileValue>());
                }
                ReadAll<ConsentRecord>(ref reader, c => state.Consents[ConsentRecord.KeyOf(c.Purpose, c.Channel)] = c);
                break;
            case Service:
                ReadAll<TicketRecord>(ref reader, t => state.Tickets[t.TicketId] = t);
                state.LastNps = reader.ReadPackable<SurveyScore>();
                state.LastCes = reader.ReadPackable<SurveyScore>();
                break;
            case Decisions:
                ReadAll<PendingDecision>(ref reader, p => state.Pending[p.Key] = p);
                ReadAll<SilentDecision>(ref reader, state.Silent.Add);
                break;
            case Journeys:
                for (var i = Length(ref reader); i > 0; i--)
                {
                    var key = Required(reader.ReadString());
                    reader.ReadUnmanaged(out DateTime startedAt, out bool converted);
                    var scopes = ImmutableArray.CreateBuilder<string>();
                    ReadStrings(ref reader, scopes.Add);
                    state.Journeys[key] = new Journey(startedAt, scopes.Count == 0 && Journey.ScopesOf(key) is { IsDefault: false } implied ? implied : scopes.ToImmutable(), converted);
                }
                break;
            case SegmentTimes:
                for (var i = Length(ref reader); i > 0; i--)
                {
                    var segment = Required(reader.ReadString());
                    state.SegmentsSince[segment] = reader.ReadUnmanaged<DateTime>();
                }
                break;
            default:
                throw new InvalidDataException($"no section {section}");
        }
    }

    /// <summary>Reads a core: the customer it names, with its core members.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a core.</exception>
    public static CustomerState ReadCore(ref MemoryPackReader reader)
    {
        var state = new CustomerState(reader.ReadString() ?? throw new InvalidDataException("a stored customer has no customer id"));
        ReadStrings(ref reader, state.LinkedIds.Add);
        state.LastEventAt = reader.ReadUnmanaged<DateTime>();
        for (var i = Length(ref reader); i > 0; i--)
        {
            reader.ReadUnmanaged(out int channel, out DateTime first, out DateTime last, out int interactions);
            if (channel < 0 || channel >= ChannelActivities.Slots)
            {
                throw new InvalidDataException($"a stored customer names channel {channel}, which is no channel");
            }
            state.Channels.Set((Channel)channel, new ChannelActivity(first, last, interactions));
        }
        ReadStrings(ref reader, state.Segments.Add);
        state.MarketingPausedUntil = ReadTime(ref reader);
        ReadStrings(ref reader, state.Absorbed.Add);
        ReadAll<RefusedLink>(ref reader, state.RefusedLinks.Add);
        state.ArmedDue = ReadTime(ref reader);
        for (var i = Length(ref reader); i > 0; i--)
        {
            reader.ReadUnmanaged(out Guid id, out DateTime at);
            state.EarlierEventIds[id] = at;
        }
        for (var i = Length(ref reader); i > 0; i--)
        {
            reader.ReadUnmanaged(out Guid eventId, out DateTime at);
            state.Timeline.AddStored(at, eventId);
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
        for (var i = Length(ref reader); i > 0; i--)
        {
            add(Required(reader.ReadString()));
        }
    }

    private static void ReadAll<T>(ref MemoryPackReader reader, Action<T> add) where T : class, IMemoryPackable<T>
    {
        for (var i = Length(ref reader); i > 0; i--)
        {
            add(Required(reader.ReadPackable<T>()));
        }
    }

    private static int Length(ref MemoryPackReader reader) =>
        reader.TryReadCollectionHeader(out var count) && count >= 0 && count <= reader.Remaining
            ? count
            : throw new InvalidDataException($"a collection of a stored customer has no valid length ({count}, {reader.Remaining} bytes left)");

    private static T Required<T>(T? value) where T : class => value ?? throw new InvalidDataException($"a stored customer holds a null {typeof(T).Name}");
}
