using System.Text.Json;
using System.Text.Json.Nodes;
using OmniStream.Adapters.Json;
using OmniStream.Schemas.Contracts;
using static OmniStream.Adapters.MessageProperties;

namespace OmniStream.Adapters.Email;

/// <summary>
/// Turns the events of SendGrid's Event Webhook (a JSON array; one message per event) into
/// interaction events on the EMAIL channel: <c>open</c> → EmailOpened, <c>click</c> → EmailClicked,
/// <c>unsubscribe</c>, <c>group_unsubscribe</c>, <c>spamreport</c> and a hard <c>bounce</c> →
/// ConsentChanged (marketing by email withdrawn), <c>group_resubscribe</c> → ConsentChanged granted;
/// the delivery events (<c>processed</c>, <c>delivered</c>, <c>deferred</c>, <c>dropped</c>, a
/// <c>blocked</c> bounce) make none. The customer is the custom argument <see cref="SendGridMapping.CustomerIdArg"/>;
/// each event's id derives from <c>sg_event_id</c>, so a batch SendGrid posts again makes copies the worker drops.
/// </summary>
public sealed class SendGridAdapter(SendGridMapping mapping) : IMessageFormat
{
    /// <inheritdoc />
    public string Source => "sendgrid";

    /// <inheritdoc />
    public Channel? Channel => Schemas.Contracts.Channel.EMAIL;

    private static readonly HashSet<string> Ignored = ["processed", "delivered", "deferred", "dropped"];

    /// <inheritdoc />
    public IReadOnlyList<InteractionEvent> Read(JsonElement message, DateTime receivedAt)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new InteractionJsonException("the event", "must be an object");
        }
        var kind = Text(message, "event") ?? throw new InteractionJsonException("event", "is required");
        if (Ignored.Contains(kind) || (kind == "bounce" && Text(message, "type") == "blocked"))
        {
            return [];
        }
        var payload = kind switch
        {
            "open" => new JsonObject { [InteractionJson.PayloadType] = nameof(EmailOpened), ["campaignId"] = Campaign(message), ["messageId"] = MessageId(message) },
            "click" => new JsonObject
            {
                [InteractionJson.PayloadType] = nameof(EmailClicked), ["campaignId"] = Campaign(message), ["messageId"] = MessageId(message),
                ["url"] = Text(message, "url") ?? throw new InteractionJsonException("url", "is required for a click"),
            },
            "unsubscribe" or "group_unsubscribe" or "spamreport" or "bounce" => Consent(granted: false),
            "group_resubscribe" => Consent(granted: true),
            _ => throw new InteractionJsonException("event", $"'{kind}' is not an event of SendGrid's Event Webhook"),
        };
        var customer = Text(message, mapping.CustomerIdArg)
            ?? throw new InteractionJsonException(mapping.CustomerIdArg, $"is required: send each email with the custom argument {mapping.CustomerIdArg} ({SendGridMapping.Section}:CustomerIdArg)");
        var at = Number(message, "timestamp", "the event") is { } seconds && seconds is > 0 and < 253402300800m
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds).UtcDateTime
            : throw new InteractionJsonException("timestamp", "is required: the event's time in seconds since 1970");
        var json = new JsonObject
        {
            ["eventId"] = FirstEventId(message).ToString(),
            ["occurredAt"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["channel"] = nameof(Schemas.Contracts.Channel.EMAIL),
            ["subject"] = new JsonObject { ["customerId"] = customer },
            ["payload"] = payload,
        };
        return [InteractionJson.Read(JsonSerializer.SerializeToElement(json))];
    }

    /// <summary>The id derived from the event's <c>sg_event_id</c>.</summary>
    public Guid FirstEventId(JsonElement message) => DerivedEventId.Of(Source, message.ValueKind == JsonValueKind.Object ? Text(message, "sg_event_id") : null, 0);

    private string Campaign(JsonElement message) =>
        Text(message, mapping.CampaignIdArg)
        ?? (message.TryGetProperty("category", out var category) ? category.ValueKind == JsonValueKind.Array ? category.EnumerateArray().Select(Text).FirstOrDefault() : Text(category) : null)
        ?? "";

    private static string MessageId(JsonElement message) => Text(message, "sg_message_id") ?? throw new InteractionJsonException("sg_message_id", "is required");

    private static JsonObject Consent(bool granted) => new()
    {
        [InteractionJson.PayloadType] = nameof(ConsentChanged),
        ["purpose"] = nameof(Purpose.MARKETING),
        ["consentChannel"] = nameof(Schemas.Contracts.Channel.EMAIL),
        ["granted"] = granted,
    };
}
