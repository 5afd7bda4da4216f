using System.Threading.Channels;
using OmniStream.Gateway.Hosting;
using Channel = OmniStream.Schemas.Contracts.Channel;
using NextBestAction = OmniStream.Schemas.Contracts.NextBestAction;

namespace OmniStream.Gateway.Delivery;

/// <summary>
/// The server-sent event streams open on this gateway, by channel: each action read is offered to
/// every stream of its channel, and the latest 1,000 of each channel are held so that a stream
/// reopened with the id of the last action it got (<c>Last-Event-ID</c>) first gets those it missed.
/// A stream that falls 1,000 actions behind loses its oldest ones. Streams are bounded: at most
/// <see cref="GatewayOptions.MaxStreamsPerClient"/> per client and <see cref="GatewayOptions.MaxStreams"/> in all.
/// </summary>
public sealed class ActionEventHub(GatewayOptions options)
{
    private const int Held = 1_000;
    private readonly Dictionary<Channel, ChannelStreams> _channels = Enum.GetValues<Channel>().ToDictionary(c => c, _ => new ChannelStreams());
    private readonly Dictionary<string, int> _openByClient = new(StringComparer.Ordinal);
    private int _open;

    /// <summary>True once the feed reads every partition of the actions topics: actions published from then on reach the streams.</summary>
    public bool IsReady { get; set; }

    /// <summary>
    /// Opens a stream of <paramref name="channel"/>'s actions for <paramref name="client"/>; dispose it to close; null when the
    /// client, or the gateway, has as many streams open as it may. With <paramref name="lastEventId"/>, the stream starts with the
    /// held actions that came after it; when that one is not held (or is another channel's), with none: replaying every held
    /// action to whoever names an unknown id would hand a channel's recent actions to any caller, again and again.
    /// </summary>
    public Subscription? Subscribe(Channel channel, string client, Guid? lastEventId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!TryCount(client))
        {
            return null;
        }
        var stream = System.Threading.Channels.Channel.CreateBounded<ActionMessage>(new BoundedChannelOptions(Held) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        var streams = _channels[channel];
        var resumed = lastEventId is null;
        lock (streams)
        {
            if (lastEventId is { } last)
            {
                var held = streams.Recent.ToList();
                var at = held.FindIndex(m => m.ActionId == last);
                resumed = at >= 0;
                foreach (var message in resumed ? held.Skip(at + 1) : [])
                {
                    stream.Writer.TryWrite(message);
                }
            }
            streams.Open[id] = stream;
        }
        return new Subscription(stream.Reader, resumed, () =>
        {
            lock (streams)
            {
                streams.Open.Remove(id);
            }
            Uncount(client);
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

    private bool TryCount(string client)
    {
        lock (_openByClient)
        {
            var mine = _openByClient.GetValueOrDefault(client);
            if (_open >= options.MaxStreams || mine >= options.MaxStreamsPerClient)
            {
                return false;
            }
            _openByClient[client] = mine + 1;
            _open++;
            return true;
        }
    }

    private void Uncount(string client)
    {
        lock (_openByClient)
        {
            _open--;
            if (--_openByClient[client] == 0)
            {
                _openByClient.Remove(client);
            }
        }
    }

    private sealed class ChannelStreams
    {
        public Queue<ActionMessage> Recent { get; } = new();

        public Dictionary<Guid, Channel<ActionMessage>> Open { get; } = [];
    }

    /// <summary>An open stream.</summary>
    public sealed class Subscription(ChannelReader<ActionMessage> reader, bool resumed, Action close) : IDisposable
    {
        /// <summary>The stream's actions.</summary>
        public ChannelReader<ActionMessage> Reader => reader;

        /// <summary>False when the stream was asked to resume after an action the gateway does not hold: actions before it may have been missed.</summary>
        public bool Resumed => resumed;

        /// <inheritdoc />
        public void Dispose() => close();
    }
}
