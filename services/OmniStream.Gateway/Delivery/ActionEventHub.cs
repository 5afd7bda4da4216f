using System.Collections.Concurrent;
using System.Threading.Channels;
using Channel = OmniStream.Schemas.Contracts.Channel;
using NextBestAction = OmniStream.Schemas.Contracts.NextBestAction;

namespace OmniStream.Gateway.Delivery;

/// <summary>
/// The server-sent event streams open on this gateway, by channel: each action read is offered to
/// every stream of its channel. A stream that falls 1,000 actions behind loses its oldest ones.
/// </summary>
public sealed class ActionEventHub
{
    private const int Backlog = 1_000;
    private readonly ConcurrentDictionary<Channel, ConcurrentDictionary<Guid, Channel<ActionMessage>>> _streams = new();

    /// <summary>True once the feed reads every partition of the actions topics: actions published from then on reach the streams.</summary>
    public bool IsReady { get; set; }

    /// <summary>Opens a stream of <paramref name="channel"/>'s actions; dispose it to close.</summary>
    public Subscription Subscribe(Channel channel)
    {
        var stream = System.Threading.Channels.Channel.CreateBounded<ActionMessage>(new BoundedChannelOptions(Backlog) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        _streams.GetOrAdd(channel, _ => new())[id] = stream;
        return new Subscription(stream.Reader, () => _streams[channel].TryRemove(id, out _));
    }

    /// <summary>Offers <paramref name="action"/> to every stream of its channel.</summary>
    public void Publish(NextBestAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!_streams.TryGetValue(action.channel, out var streams) || streams.IsEmpty)
        {
            return;
        }
        var message = ActionMessage.Of(action);
        foreach (var stream in streams.Values)
        {
            stream.Writer.TryWrite(message);
        }
    }

    /// <summary>An open stream.</summary>
    public sealed class Subscription(ChannelReader<ActionMessage> reader, Action close) : IDisposable
    {
        /// <summary>The stream's actions.</summary>
        public ChannelReader<ActionMessage> Reader => reader;

        /// <inheritdoc />
        public void Dispose() => close();
    }
}
