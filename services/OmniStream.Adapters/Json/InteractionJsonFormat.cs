using System.Text.Json;
using OmniStream.Adapters;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Adapters.Json;

/// <summary>OmniStream's own JSON events (<see cref="InteractionJson"/>), as <c>POST /events</c> takes them: one event per message.</summary>
public sealed class InteractionJsonFormat : IMessageFormat
{
    /// <summary>The one instance.</summary>
    public static InteractionJsonFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Source => "POST /events";

    /// <inheritdoc />
    public Channel? Channel => null;

    /// <inheritdoc />
    public IReadOnlyList<InteractionEvent> Read(JsonElement message, DateTime receivedAt) => [InteractionJson.Read(message)];

    /// <summary>The event's own id when it gives a valid one, else a new one.</summary>
    public Guid FirstEventId(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String
            && Guid.TryParse(id.GetString(), out var eventId) && eventId != Guid.Empty
            ? eventId
            : Guid.NewGuid();
}
