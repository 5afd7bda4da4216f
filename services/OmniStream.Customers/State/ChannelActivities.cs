using System.Collections;
using System.Diagnostics.CodeAnalysis;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>A customer's activity per channel, by the channel's number: an update replaces one slot, nothing else moves.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Named as the state's other members are: what it holds.")]
public sealed class ChannelActivities : IReadOnlyDictionary<Channel, ChannelActivity>
{
    private static readonly Channel[] AllChannels = Enum.GetValues<Channel>();
    private readonly ChannelActivity?[] _byChannel = new ChannelActivity?[Slots];
    // Last and preferred, found once after each change: a fold, a projection and the segments each ask for them.
    private Channel? _last;
    private Channel? _preferred;

    /// <summary>How many channel numbers there are (every <see cref="Channel"/> is below).</summary>
    public static readonly int Slots = AllChannels.Max(c => (int)c) + 1;

    /// <summary>How many channels the customer used.</summary>
    public int Count { get; private set; }

    /// <summary>The activity on <paramref name="channel"/>.</summary>
    /// <exception cref="KeyNotFoundException">The customer never used it.</exception>
    public ChannelActivity this[Channel channel] => Find(channel) ?? throw new KeyNotFoundException($"no activity on {channel}");

    /// <summary>The activity on <paramref name="channel"/>, or null.</summary>
    public ChannelActivity? Find(Channel channel) => (int)channel < _byChannel.Length ? _byChannel[(int)channel] : null;

    /// <summary>Sets the activity on <paramref name="channel"/>.</summary>
    public void Set(Channel channel, ChannelActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        Count += _byChannel[(int)channel] is null ? 1 : 0;
        _byChannel[(int)channel] = activity;
        Changed();
    }

    /// <summary>An activity held was counted in place (<see cref="ChannelActivity"/>): last and preferred are found again.</summary>
    internal void Changed()
    {
        _last = null;
        _preferred = null;
    }

    /// <summary>The channel of the newest interaction (the later channel on a tie); UNKNOWN before any.</summary>
    public Channel Last => _last ??= Best(static (a, b) => a.LastSeenAt > b.LastSeenAt || a.LastSeenAt == b.LastSeenAt);

    /// <summary>The channel used most (most interactions, then most recent, then the earlier channel); UNKNOWN before any.</summary>
    public Channel Preferred => _preferred ??= Best(static (a, b) => a.Interactions > b.Interactions || (a.Interactions == b.Interactions && a.LastSeenAt > b.LastSeenAt));

    /// <inheritdoc />
    public IEnumerable<Channel> Keys => this.Select(entry => entry.Key);

    /// <inheritdoc />
    public IEnumerable<ChannelActivity> Values => this.Select(entry => entry.Value);

    /// <inheritdoc />
    public bool ContainsKey(Channel key) => Find(key) is not null;

    /// <inheritdoc />
    public bool TryGetValue(Channel key, [MaybeNullWhen(false)] out ChannelActivity value)
    {
        value = Find(key);
        return value is not null;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<Channel, ChannelActivity>> GetEnumerator()
    {
        for (var i = 0; i < _byChannel.Length; i++)
        {
            if (_byChannel[i] is { } activity)
            {
                yield return new((Channel)i, activity);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The channels in ascending order; one replaces the best so far when it is better.
    private Channel Best(Func<ChannelActivity, ChannelActivity, bool> better)
    {
        var best = -1;
        for (var i = 0; i < _byChannel.Length; i++)
        {
            if (_byChannel[i] is { } activity && (best < 0 || better(activity, _byChannel[best]!)))
            {
                best = i;
            }
        }
        return best < 0 ? Channel.UNKNOWN : (Channel)best;
    }
}
