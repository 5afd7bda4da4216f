using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniStream.Adapters.Json;
using OmniStream.Schemas.Contracts;
using static OmniStream.Adapters.MessageProperties;

namespace OmniStream.Adapters.Segment;

/// <summary>
/// Turns the messages of Segment's tracking API (<c>identify</c>, <c>alias</c>, <c>page</c>,
/// <c>screen</c>, <c>track</c>, <c>group</c>) sent by one source into interaction events on that
/// source's channel. <c>identify</c> with an <c>anonymousId</c> and <c>alias</c> tie the visitor to
/// the customer (<see cref="Identified"/>); <c>identify</c>'s traits update the profile;
/// <c>page</c> and <c>screen</c> are page views (a screen's location is its name); <c>track</c>
/// follows <see cref="SegmentMapping"/> (unmapped: a generic <see cref="Tracked"/>, set aside, or dropped); <c>group</c> makes nothing. <c>userId</c> is the customer id,
/// <c>anonymousId</c> the visitor's. Each event's id derives from the source and the message's
/// <c>messageId</c>, so a message the client library sends again is dropped by the worker as a copy.
/// The time is the message's <c>timestamp</c> corrected for the sender's clock by <c>sentAt</c>, as
/// Segment does. An event whose payload the source may not send (<paramref name="payloads"/>, by default
/// <see cref="SegmentMapping.DefaultSourcePayloads"/>) is refused, naming the setting.
/// </summary>
public sealed class SegmentAdapter(SegmentMapping mapping, string sourceName, Channel channel, IReadOnlyCollection<string>? payloads = null) : IMessageFormat
{
    private readonly IReadOnlyCollection<string> _payloads = payloads is { Count: > 0 } ? payloads : SegmentMapping.DefaultSourcePayloads;

    /// <summary>Where the source's refused messages say they come from on <c>omni.bad-rows</c>: <c>segment:</c> and the source's name.</summary>
    public string Source { get; } = SourcePrefix + sourceName;

    /// <summary>The source's channel.</summary>
    public Channel? Channel => channel;

    /// <summary>The messages of one request: <paramref name="type"/> the call its address names (<c>/v1/track</c>), <paramref name="batchSentAt"/> its batch's <c>sentAt</c>.</summary>
    public IMessageFormat InRequest(string? type, DateTime? batchSentAt) => new Request(this, type, batchSentAt);

    /// <summary>A message read alone (as a replay reads it): its call and its <c>sentAt</c> are its own.</summary>
    public IReadOnlyList<InteractionEvent> Read(JsonElement message, DateTime receivedAt) => Read(message, receivedAt, null, null);

    /// <summary>The prefix of <see cref="Source"/>.</summary>
    public const string SourcePrefix = "segment:";

    /// <summary>
    /// The events <paramref name="message"/> makes (none for a <c>group</c>, an <c>identify</c> that
    /// neither ties nor describes, or an unmapped <c>track</c> when dropped). <paramref name="type"/>
    /// is the call when the address gives it (<c>/v1/track</c>), else the message's <c>type</c>;
    /// <paramref name="batchSentAt"/> the <c>sentAt</c> of the batch it came in.
    /// </summary>
    /// <exception cref="InteractionJsonException">
    /// The message is not a call this adapter understands, or what it maps to is not a valid event (e.g. a
    /// property of the wrong type); the message names the field.
    /// </exception>
    public IReadOnlyList<InteractionEvent> Read(JsonElement message, DateTime receivedAt, string? type, DateTime? batchSentAt)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new InteractionJsonException("the message", "must be an object");
        }
        type ??= Text(message, "type") ?? throw new InteractionJsonException("type", "is required (identify, alias, page, screen, track or group)");
        var userId = Text(message, "userId");
        var anonymousId = Text(message, "anonymousId");
        if (userId is null && anonymousId is null && type != "alias")
        {
            throw new InteractionJsonException("userId", "or anonymousId is required");
        }
        var at = OccurredAt(message, receivedAt, batchSentAt);
        var messageId = Text(message, "messageId");
        var events = new List<JsonObject>();
        JsonObject Event(JsonObject subject, JsonObject payload) =>
            new() { ["eventId"] = EventId(messageId, events.Count).ToString(), ["occurredAt"] = at.ToString("O", CultureInfo.InvariantCulture), ["channel"] = channel.ToString(), ["subject"] = subject, ["payload"] = payload };

        switch (type)
        {
            case "identify":
                if (userId is not null && anonymousId is not null)
                {
                    events.Add(Event(Subject(userId, anonymousId), Identified(anonymousId, userId, "segment identify")));
                }
                if (Flattened(Object(message, "traits"), "traits") is { Count: > 0 } traits)
                {
                    events.Add(Event(userId is not null ? Subject(userId, null) : Subject(null, anonymousId), new JsonObject { [InteractionJson.PayloadType] = nameof(ProfileUpdated), ["attributes"] = traits }));
                }
                break;
            case "alias":
                var previousId = Text(message, "previousId") ?? throw new InteractionJsonException("previousId", "is required for an alias");
                var customerId = userId ?? throw new InteractionJsonException("userId", "is required for an alias");
                events.Add(Event(Subject(customerId, previousId), Identified(previousId, customerId, "segment alias")));
                break;
            case "page":
                events.Add(Event(Subject(userId, anonymousId), Page(message)));
                break;
            case "screen":
                var screen = Text(message, "name") ?? Text(Object(message, "properties"), "name") ?? throw new InteractionJsonException("name", "is required for a screen");
                events.Add(Event(Subject(userId, anonymousId), new JsonObject { [InteractionJson.PayloadType] = nameof(PageViewed), ["location"] = screen }));
                break;
            case "track":
                var name = Text(message, "event") ?? throw new InteractionJsonException("event", "is required for a track");
                if (mapping.PayloadOf(name) is not { } payloadType)
                {
                    switch (mapping.Unmapped)
                    {
                        case SegmentMapping.UnmappedTracks.Drop:
                            break;
                        case SegmentMapping.UnmappedTracks.Generic:
                            events.Add(Event(Subject(userId, anonymousId),
                                new JsonObject { [InteractionJson.PayloadType] = nameof(Tracked), ["name"] = name, ["properties"] = Flattened(Object(message, "properties"), "properties") }));
                            break;
                        default:
                            throw new InteractionJsonException("event", $"'{name}' has no mapping ({SegmentMapping.Section}:Track)");
                    }
                    break;
                }
                var cart = SourcePrefix + (userId ?? anonymousId);
                events.Add(Event(Subject(userId, anonymousId), SegmentTrackPayloads.Build(payloadType, Object(message, "properties"), cart, mapping.DefaultCurrency)));
                break;
            case "group":
                break;
            default:
                throw new InteractionJsonException("type", $"'{type}' is not a call of the tracking API (identify, alias, page, screen, track or group)");
        }
        foreach (var made in events)
        {
            var payload = made["payload"]?[InteractionJson.PayloadType]?.GetValue<string>();
            if (payload is not null && !_payloads.Contains(payload))
            {
                throw new InteractionJsonException("payload", $"is a {payload}, which source '{sourceName}' may not send (its Payloads setting: {string.Join(", ", _payloads)})");
            }
        }
        return [.. events.Select(e => InteractionJson.Read(JsonSerializer.SerializeToElement(e)))];
    }

    /// <summary>The id of the first event <paramref name="message"/> makes: a refused message is published under it once fixed.</summary>
    public Guid FirstEventId(JsonElement message) => EventId(message.ValueKind == JsonValueKind.Object ? Text(message, "messageId") : null, 0);

    private Guid EventId(string? messageId, int index) => DerivedEventId.Of(Source, messageId, index);

    private static DateTime OccurredAt(JsonElement message, DateTime receivedAt, DateTime? batchSentAt)
    {
        if ((Time(message, "timestamp") ?? Time(message, "originalTimestamp")) is not { } timestamp)
        {
            return receivedAt;
        }
        // The sender's clock may be off: shift by how far its sentAt is from our receipt, never past the receipt.
        var skew = (Time(message, "sentAt") ?? batchSentAt) is { } sentAt ? receivedAt - sentAt : TimeSpan.Zero;
        var corrected = timestamp + skew;
        return corrected > receivedAt ? receivedAt : corrected;
    }

    private sealed class Request(SegmentAdapter adapter, string? type, DateTime? batchSentAt) : IMessageFormat
    {
        public string Source => adapter.Source;

        public Channel? Channel => adapter.Channel;

        public IReadOnlyList<InteractionEvent> Read(JsonElement message, DateTime receivedAt) => adapter.Read(message, receivedAt, type, batchSentAt);

        public Guid FirstEventId(JsonElement message) => adapter.FirstEventId(message);
    }

    private static JsonObject Subject(string? customerId, string? anonymousId) => new() { ["customerId"] = customerId, ["anonymousId"] = anonymousId };

    private static JsonObject Identified(string anonymousId, string customerId, string method) =>
        new() { [InteractionJson.PayloadType] = nameof(Schemas.Contracts.Identified), ["anonymousId"] = anonymousId, ["customerId"] = customerId, ["method"] = method };

    private static JsonObject Page(JsonElement message)
    {
        var properties = Object(message, "properties");
        var page = Object(Object(message, "context"), "page");
        var location = Text(properties, "path") ?? PathOf(Text(properties, "url")) ?? Text(page, "path") ?? Text(message, "name") ?? "/";
        return new JsonObject { [InteractionJson.PayloadType] = nameof(PageViewed), ["location"] = location, ["referrer"] = Text(properties, "referrer") ?? Text(page, "referrer") };
    }

    private static string? PathOf(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : null;

    // Scalar values (traits, properties) as text, and those of nested objects as "address.city"; lists are left out.
    private static JsonObject Flattened(JsonElement values, string path)
    {
        var attributes = new JsonObject();
        void Add(JsonElement json, string prefix)
        {
            foreach (var trait in json.EnumerateObject())
            {
                if (trait.Value.ValueKind == JsonValueKind.Object && prefix.Length == 0)
                {
                    Add(trait.Value, trait.Name + ".");
                }
                else if (trait.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    attributes[prefix + trait.Name] = trait.Value.ValueKind == JsonValueKind.True ? "true" : "false";
                }
                else if (Text(trait.Value) is { } text)
                {
                    attributes[prefix + trait.Name] = text;
                }
                if (attributes.Count > InteractionJson.MaxItems)
                {
                    throw new InteractionJsonException(path, $"has more than {InteractionJson.MaxItems} values");
                }
            }
        }
        Add(values, "");
        return attributes;
    }
}
