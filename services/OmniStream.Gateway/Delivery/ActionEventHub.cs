using System.Threading.Channels;
using Channel = OmniStream.Schemas.Contracts.Channel;
using NextBestAction = OmniStream.Schemas.Contracts.NextBestAction;

namespace OmniStream.Gateway.Delivery;

/// <summary>
/// The server-sent event streams open on this gateway, by channel: each action read is offered to
/// every stream of its channel, and the latest 1,000 of each channel are held so that a stream
/// reopened with the id of the last action it got (<c>Last-Event-ID</c>) first gets those it missed.
/// A stream that falls 1,000 actions behind loses its oldest ones.
/// </summary>
public sealed class ActionEventHub
{
    private const int Held = 1_000;
    private readonly Dictionary<Channel, ChannelStreams> _channels = Enum.GetValues<Channel>().ToDictionary(c => c, _ => new ChannelStreams());

    /// <summary>True once the feed reads every partition of the actions topics: actions published from then on reach the streams.</summary>
    public bool IsReady { get; set; }

    /// <summary>
    /// Opens a stream of <paramref name="channel"/>'s actions; dispose it to close. With
    /// <paramref name="lastEventId"/>, the stream starts with the held actions that came after it,
    /// or with every held action when that one is not held (it may have missed more).
    /// </summary>
    public Subscription Subscribe(Channel channel, Guid? lastEventId = null)
    {
        var stream = System.Threading.Channels.Channel.CreateBounded<ActionMessage>(new BoundedChannelOptions(Held) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        var streams = _channels[channel];
        lock (streams)
        {
            if (lastEventId is { } last)
            {
                var held = streams.Recent.ToList();
                // Not held: FindIndex gives -1, and every held action is replayed.
                foreach (var message in held.Skip(held.FindIndex(m => m.ActionId == last) + 1))
                {
                    stream.Writer.TryWrite(message);
                }
            }
            streams.Open[id] = stream;
        }
        return new Subscription(stream.Reader, () =>
        {
            lock (streams)
            {
                streams.Open.Remove(id);
            }
        });
    }

    /// <summary>Offers <paramref name="action"/> to every stream of its channel, and holds it for streams that reopen.</summary>
    public void Publish(NextBestAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var message = ActionMessage.Of(action);
        var streams = _channels[action.channel];
        lock (streams)
        {
            streams.Recent.Enqueue(message);
            if (streams.Recent.Count > Held)
            {
                streams.Recent.Dequeue();
            }
            foreach (var stream in streams.Open.Values)
            {
                stream.Writer.TryWrite(message);
            }
        }
    }

    private sealed class ChannelStreams
    {
        public Queue<ActionMessage> Recent { get; } = new();

        public Dictionary<Guid, Channel<ActionMessage>> Open { get; } = [];
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
