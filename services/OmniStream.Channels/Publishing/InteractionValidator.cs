using OmniStream.Schemas.Contracts;

namespace OmniStream.Channels.Publishing;

/// <summary>What an interaction needs before it is published; errors name the field.</summary>
public static class InteractionValidator
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first missing or wrong field.</summary>
    public static void ThrowIfInvalid(InteractionEvent? interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        if (interaction.channel == Channel.UNKNOWN)
        {
            throw new ArgumentException("InteractionEvent.channel must name a channel (got UNKNOWN)", nameof(interaction));
        }
        if (interaction.subject is null)
        {
            throw new ArgumentException("InteractionEvent.subject is required", nameof(interaction));
        }
        if (string.IsNullOrWhiteSpace(interaction.subject.customerId) && string.IsNullOrWhiteSpace(interaction.subject.anonymousId)
            && string.IsNullOrWhiteSpace(interaction.subject.deviceId))
        {
            throw new ArgumentException("InteractionEvent.subject needs a customerId, anonymousId or deviceId", nameof(interaction));
        }
        if (interaction.payload is null)
        {
            throw new ArgumentException("InteractionEvent.payload is required (one of the payload records)", nameof(interaction));
        }
        if (interaction.occurredAt == default)
        {
            throw new ArgumentException("InteractionEvent.occurredAt is required", nameof(interaction));
        }
    }
}
