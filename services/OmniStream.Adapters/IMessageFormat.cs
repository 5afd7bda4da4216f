using System.Text.Json;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Adapters;

/// <summary>
/// A format of messages channels send over HTTP (OmniStream's own JSON events, Segment calls, an
/// email service's webhook, ...), read into interaction events. The gateway takes every format the
/// same way: what reads is published, what does not is kept on <c>omni.bad-rows</c> under
/// <see cref="Source"/>, where <c>omnistream deadletter replay --bad-rows</c> reads it again with the
/// same format.
/// </summary>
public interface IMessageFormat
{
    /// <summary>Names the format (and the sender, where it has several) on the bad rows: <c>POST /events</c>, <c>segment:shop-web</c>.</summary>
    string Source { get; }

    /// <summary>The channel every event of this format is on, when the format fixes it (kept on the bad rows, for their replay).</summary>
    Channel? Channel { get; }

    /// <summary>The events <paramref name="message"/>, received at <paramref name="receivedAt"/>, makes; none when the format ignores such a message.</summary>
    /// <exception cref="Json.InteractionJsonException">It makes no valid event; the message names the field.</exception>
    IReadOnlyList<InteractionEvent> Read(JsonElement message, DateTime receivedAt);

    /// <summary>The id the first event of <paramref name="message"/> is published under if it is refused and replayed once fixed.</summary>
    Guid FirstEventId(JsonElement message);
}
