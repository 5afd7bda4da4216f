using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace OmniStream.Channels.Json;

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

    /// <summary>The record that keeps <paramref name="json"/>, refused for <paramref name="reason"/>.</summary>
    public static Message<byte[], byte[]> Row(string json, string reason, string source, string client, Guid eventId, DateTime refusedAt) => new()
    {
        Key = Encoding.UTF8.GetBytes(client),
        Value = Encoding.UTF8.GetBytes(json),
        Headers =
        [
            new Header(ReasonHeader, Encoding.UTF8.GetBytes(reason)),
            new Header(SourceHeader, Encoding.UTF8.GetBytes(source)),
            new Header(RefusedAtHeader, Encoding.UTF8.GetBytes(refusedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture))),
            new Header(EventIdHeader, Encoding.UTF8.GetBytes(eventId.ToString())),
        ],
    };

    /// <summary>The reason and event id of a bad row; null when <paramref name="headers"/> are not a bad row's.</summary>
    public static (string Reason, Guid EventId)? Read(Headers? headers)
    {
        string? Text(string name) => headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        return Text(ReasonHeader) is { } reason && Guid.TryParse(Text(EventIdHeader), out var eventId) ? (reason, eventId) : null;
    }
}
