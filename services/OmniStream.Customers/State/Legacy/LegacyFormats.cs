using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using MemoryPack;

namespace OmniStream.Customers.State.Legacy;

/// <summary>
/// The customer states OmniStream stored before its working state: format 2 (format byte
/// <see cref="CustomerStateCodec.Binary"/>, then the whole <see cref="LegacyCustomerState"/> in
/// MemoryPack's layout) and format 1 (UTF-8 JSON, <c>{"v":1,"state":{...}}</c>), and how each becomes
/// a working state; JSON in format 1's layout is still what a privacy export answers.
/// </summary>
public static class LegacyFormats
{
    private const int JsonVersion = 1;

    /// <summary>The state stored in <paramref name="bytes"/> in format 1 or 2.</summary>
    /// <exception cref="InvalidDataException">The bytes are not such a state.</exception>
    public static LegacyCustomerState Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var state = bytes.IsEmpty ? null : bytes[0] switch
            {
                CustomerStateCodec.Binary => MemoryPackSerializer.Deserialize<LegacyCustomerState>(bytes[1..]),
                (byte)'{' => FromJson(bytes),
                var other => throw new InvalidDataException(
                    $"a stored customer starts with byte {other}, not a known format ({CustomerStateCodec.Section}, {CustomerStateCodec.Whole}, {CustomerStateCodec.Binary}, or '{{' for JSON)"),
            };
            return state?.CustomerId is not null
                ? state
                : throw new InvalidDataException("a stored customer has no customer id");
        }
        catch (Exception e) when (e is MemoryPackSerializationException or JsonException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"not a stored customer state: {e.Message}", e);
        }
    }

    /// <summary>
    /// The working state of a state stored before it: every member carried over, its inline timeline
    /// lines and actions held as not written yet (the next commit stores them as parts), and its recent
    /// event ids kept until the lateness bound passes them.
    /// </summary>
    public static CustomerState ToWorkingState(LegacyCustomerState legacy)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        var state = new CustomerState(legacy.CustomerId) { LastEventAt = legacy.LastEventAt };
        state.LinkedIds.UnionWith(legacy.LinkedIds);
        foreach (var (id, at) in legacy.RecentEventIds)
        {
            state.EarlierEventIds[id] = at;
        }
        Copy(legacy.Profile, state.Profile);
        Copy(legacy.Consents, state.Consents);
        foreach (var (channel, activity) in legacy.Channels)
        {
            // A copy: the working state counts interactions in place, the legacy record stays as it was.
            state.Channels.Set(channel, activity with { });
        }
        state.LatestCart = legacy.LatestCart;
        Copy(legacy.Orders, state.Orders);
        state.OlderOrders = legacy.OlderOrders;
        Copy(legacy.Tickets, state.Tickets);
        state.ProductViews.AddRange(legacy.ProductViews);
        state.LastNps = legacy.LastNps;
        state.LastCes = legacy.LastCes;
        foreach (var line in legacy.Interactions)
        {
            state.Timeline.Add(line);
        }
        foreach (var action in legacy.Actions)
        {
            state.Actions.Add(action.Interned(), int.MaxValue);
        }
        Copy(legacy.Pending, state.Pending);
        state.RefusedLinks.AddRange(legacy.RefusedLinks);
        state.Segments.UnionWith(legacy.Segments);
        state.MarketingPausedUntil = legacy.MarketingPausedUntil;
        state.Silent.AddRange(legacy.Silent);
        state.Absorbed.UnionWith(legacy.Absorbed);
        return state;
    }

    /// <summary>The record form of a working state whose timeline lines are held whole (as a view or an export reads it); its recent event ids are its lines' and the earlier ones it keeps.</summary>
    public static LegacyCustomerState FromWorkingState(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var recent = state.Timeline.Entries.Select(e => KeyValuePair.Create(e.EventId, e.At))
            .Concat(state.EarlierEventIds).DistinctBy(e => e.Key);
        return new LegacyCustomerState(
            state.CustomerId, [.. state.LinkedIds], state.LastEventAt, ImmutableSortedDictionary.CreateRange(recent),
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, state.Profile),
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, state.Consents),
            ImmutableSortedDictionary.CreateRange(state.Channels.Select(c => KeyValuePair.Create(c.Key, c.Value with { }))), state.LatestCart,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, state.Orders), state.OlderOrders,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, state.Tickets), [.. state.ProductViews], state.LastNps, state.LastCes,
            [.. state.Timeline.Lines], [.. state.Actions], ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, state.Pending),
            [.. state.RefusedLinks], [.. state.Segments], state.MarketingPausedUntil, [.. state.Silent], [.. state.Absorbed]);
    }

    /// <summary><paramref name="state"/> as JSON in format 1's layout.</summary>
    public static byte[] ToJson(LegacyCustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return JsonSerializer.SerializeToUtf8Bytes(new StoredCustomer(JsonVersion, state), LegacyJson.Default.StoredCustomer);
    }

    /// <summary><paramref name="state"/> in format 2.</summary>
    public static byte[] ToBinary(LegacyCustomerState state) => [CustomerStateCodec.Binary, .. MemoryPackSerializer.Serialize(state, MemoryPackSerializerOptions.Utf8)];

    private static LegacyCustomerState? FromJson(ReadOnlySpan<byte> bytes)
    {
        var stored = JsonSerializer.Deserialize(bytes, LegacyJson.Default.StoredCustomer)
            ?? throw new InvalidDataException("a stored customer is null");
        return stored.V == JsonVersion
            ? stored.State
            : throw new InvalidDataException($"not a stored customer of version {JsonVersion} (version {stored.V})");
    }

    private static void Copy<TKey, TValue>(ImmutableSortedDictionary<TKey, TValue> from, SortedList<TKey, TValue> to) where TKey : notnull
    {
        foreach (var (key, value) in from)
        {
            to[key] = value;
        }
    }
}

internal sealed record StoredCustomer(int V, LegacyCustomerState State);

// Nulls are left out: a customer keeps up to 50 actions, most without outcome, variant or conversion yet.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredCustomer))]
internal sealed partial class LegacyJson : JsonSerializerContext;
