using System.Globalization;
using System.Text;
using Confluent.Kafka;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Adapters.Json;

/// <summary>
/// An event refused at HTTP ingestion, as kept on <c>omni.bad-rows</c>: the value is the event's JSON
/// exactly as it was posted, the key the client that posted it, and the headers say why, from
/// where, when, and under which event id it is to be published once fixed (its own, or one assigned
/// when it was refused, so that replaying it twice publishes it once as far as the worker is concerned).
/// </summary>
public static class BadRows
{
    /// <summary>Why it was refused.</summary>
    public const string ReasonHeader = "omnistream.bad-row.reason";

    /// <summary>Where it was posted (e.g. <c>POST /events</c>).</summary>
    public const string SourceHeader = "omnistream.bad-row.source";

    /// <summary>When it was refused (ISO 8601, UTC).</summary>
    public const string RefusedAtHeader = "omnistream.bad-row.refused-at";

    /// <summary>The event id it is published under when replayed, unless its JSON gives one.</summary>
    public const string EventIdHeader = "omnistream.bad-row.event-id";

    /// <summary>The channel its format puts every event on, when it does (a Segment source's): it is read again on that channel.</summary>
    public const string ChannelHeader = "omnistream.bad-row.channel";

    /// <summary>The record that keeps <paramref name="json"/>, refused for <paramref name="reason"/>.</summary>
    public static Message<byte[], byte[]> Row(string json, string reason, string source, string client, Guid eventId, DateTime refusedAt, Channel? channel = null)
    {
        var headers = new Headers
        {
            { ReasonHeader, Encoding.UTF8.GetBytes(reason) },
            { SourceHeader, Encoding.UTF8.GetBytes(source) },
            { RefusedAtHeader, Encoding.UTF8.GetBytes(refusedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)) },
            { EventIdHeader, Encoding.UTF8.GetBytes(eventId.ToString()) },
        };
        if (channel is { } fixedChannel)
        {
            headers.Add(ChannelHeader, Encoding.UTF8.GetBytes(fixedChannel.ToString()));
        }
        return new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(client), Value = Encoding.UTF8.GetBytes(json), Headers = headers };
    }

    /// <summary>What a bad row's headers say; null when <paramref name="headers"/> are not a bad row's.</summary>
    public static BadRow? Read(Headers? headers)
    {
        string? Text(string name) => headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        if (Text(ReasonHeader) is not { } reason || !Guid.TryParse(Text(EventIdHeader), out var eventId))
        {
            return null;
        }
        var refusedAt = DateTime.TryParse(Text(RefusedAtHeader), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : DateTime.UtcNow;
        Channel? channel = Enum.TryParse<Channel>(Text(ChannelHeader), out var c) ? c : null;
        return new BadRow(reason, Text(SourceHeader) ?? "", eventId, refusedAt, channel);
    }
}

/// <summary>What a bad row's headers say: why it was refused, from which format, the event id to publish it under, when, and its format's channel if fixed.</summary>
public sealed record BadRow(string Reason, string Source, Guid EventId, DateTime RefusedAt, Channel? Channel);
