using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniStream.Adapters.Json;
using OmniStream.Schemas.Contracts;
using static OmniStream.Adapters.MessageProperties;

namespace OmniStream.Adapters.Chat;

/// <summary>
/// Turns the fulfillment requests of a Dialogflow (ES, API v2) agent's webhook into ChatMessageSent
/// events on the CHATBOT channel: the conversation is the request's session, the intent the matched
/// intent's display name with its detection confidence. The customer is the session's user
/// (<c>…/users/&lt;id&gt;/sessions/…</c>) or the <c>customerId</c> the chat front end passes in the
/// original request's payload; otherwise the session is an anonymous visitor's. Each event's id
/// derives from <c>responseId</c>; its time is the receipt (the request carries none).
/// </summary>
public sealed class DialogflowAdapter : IMessageFormat
{
    /// <inheritdoc />
    public string Source => "dialogflow";

    /// <inheritdoc />
    public Channel? Channel => Schemas.Contracts.Channel.CHATBOT;

    /// <inheritdoc />
    public IReadOnlyList<InteractionEvent> Read(JsonElement message, DateTime receivedAt)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new InteractionJsonException("the request", "must be an object");
        }
        var session = Text(message, "session") ?? throw new InteractionJsonException("session", "is required");
        var parts = session.Split('/');
        var sessionId = parts.Length >= 2 && parts[^2] == "sessions" ? parts[^1] : throw new InteractionJsonException("session", "must end with /sessions/<session id>");
        var user = Array.IndexOf(parts, "users") is var at and >= 0 && at + 1 < parts.Length ? parts[at + 1] : null;
        var customer = user ?? Text(Object(Object(message, "originalDetectIntentRequest"), "payload"), "customerId");
        var result = Object(message, "queryResult");
        var intent = Text(Object(result, "intent"), "displayName") ?? throw new InteractionJsonException("queryResult.intent.displayName", "is required");
        var confidence = Number(result, "intentDetectionConfidence", "queryResult") ?? 0m;
        if (confidence is < 0 or > 1)
        {
            throw new InteractionJsonException("queryResult.intentDetectionConfidence", "must be between 0 and 1");
        }
        var json = new JsonObject
        {
            ["eventId"] = FirstEventId(message).ToString(),
            ["occurredAt"] = receivedAt.ToString("O", CultureInfo.InvariantCulture),
            ["channel"] = nameof(Schemas.Contracts.Channel.CHATBOT),
            ["subject"] = customer is not null ? new JsonObject { ["customerId"] = customer } : new JsonObject { ["anonymousId"] = Source + ":" + sessionId },
            ["sessionId"] = sessionId,
            ["payload"] = new JsonObject
            {
                [InteractionJson.PayloadType] = nameof(ChatMessageSent),
                ["conversationId"] = sessionId,
                ["intent"] = intent,
                ["confidence"] = (double)confidence,
            },
        };
        return [InteractionJson.Read(JsonSerializer.SerializeToElement(json))];
    }

    /// <summary>The id derived from the request's <c>responseId</c>.</summary>
    public Guid FirstEventId(JsonElement message) => DerivedEventId.Of(Source, message.ValueKind == JsonValueKind.Object ? Text(message, "responseId") : null, 0);
}
