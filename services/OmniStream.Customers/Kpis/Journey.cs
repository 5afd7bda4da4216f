using System.Collections.Immutable;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Kpis;

/// <summary>A customer's current journey on one channel (or on all): when it started, the scopes it counts in, whether it converted.</summary>
/// <param name="StartedAt">Event time of its first interaction.</param>
/// <param name="Scopes">The scopes it was counted in when it started (text form of <see cref="KpiScope"/>).</param>
/// <param name="Converted">True once an order ended it.</param>
public sealed record Journey(DateTime StartedAt, ImmutableArray<string> Scopes, bool Converted)
{
    private static readonly Channel[] Channels = Enum.GetValues<Channel>();
    private static readonly ImmutableArray<string>[] ChannelScopes = [.. Enum.GetValues<Channel>().Select(c => ImmutableArray.Create(KpiScope.Channel(c).ToString()))];

    /// <summary>The scopes of a journey on <paramref name="channel"/>: that channel's alone (one list per channel, shared).</summary>
    public static ImmutableArray<string> ScopesOn(Channel channel) =>
        (int)channel >= 0 && (int)channel < ChannelScopes.Length ? ChannelScopes[(int)channel] : [KpiScope.Channel(channel).ToString()];

    /// <summary>
    /// The scopes of a journey kept under <paramref name="key"/> when they follow from it (a channel's journey counts in
    /// that channel alone: a stored journey need not hold them); default when they do not.
    /// </summary>
    public static ImmutableArray<string> ScopesOf(string key)
    {
        for (var i = 0; i < Channels.Length; i++)
        {
            if (EnumNames.Of(Channels[i]) == key)
            {
                return ChannelScopes[i];
            }
        }
        return default;
    }

    /// <summary>Adds <paramref name="counts"/> to <paramref name="facts"/> in each scope of the journey, at its start.</summary>
    public void Count(KpiCounts counts, IKpiFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        foreach (var scope in Scopes)
        {
            facts.Add(new KpiFact(StartedAt, KpiScope.Parse(scope), counts));
        }
    }
}

/// <summary>A customer's current journeys, by channel name (and <see cref="AllChannels"/> for the cross-channel one).</summary>
/// <param name="Journeys">The journeys.</param>
public sealed record JourneyMarks(ImmutableSortedDictionary<string, Journey> Journeys)
{
    /// <summary>The key of the cross-channel journey.</summary>
    public const string AllChannels = "all";

    /// <summary>No journey yet.</summary>
    public static JourneyMarks Empty { get; } = new(ImmutableSortedDictionary<string, Journey>.Empty);
}
