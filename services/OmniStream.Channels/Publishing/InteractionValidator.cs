using OmniStream.Schemas.Contracts;

namespace OmniStream.Channels.Publishing;

/// <summary>What an interaction needs before it is published; errors name the field.</summary>
public static class InteractionValidator
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first missing or wrong field, or saying that an erasure request is no channel's event.</summary>
    public static void ThrowIfInvalid(InteractionEvent? interaction)
    {
        ThrowIfIncomplete(interaction);
        if (interaction!.payload is ErasureRequested)
        {
            throw new ArgumentException(NotAChannelEvent, nameof(interaction));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first missing or wrong field.</summary>
    public static void ThrowIfIncomplete(InteractionEvent? interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        if (interaction.subject is null)
        {
            throw new ArgumentException("InteractionEvent.subject is required", nameof(interaction));
        }
        ThrowIfInvalid(interaction.channel, interaction.occurredAt,
            !string.IsNullOrWhiteSpace(interaction.subject.customerId) || !string.IsNullOrWhiteSpace(interaction.subject.anonymousId)
            || !string.IsNullOrWhiteSpace(interaction.subject.deviceId));
        if (interaction.payload is null)
        {
            throw new ArgumentException("InteractionEvent.payload is required (one of the payload records)", nameof(interaction));
        }
    }

    /// <summary>Why an erasure request is refused from a channel: whoever may publish a channel's events may not erase its customers.</summary>
    public const string NotAChannelEvent =
        "an erasure request (ErasureRequested) is not a channel's event: erasure goes through the privacy API (POST /privacy/erasure/{id}, permission privacy:erase)";

    /// <summary>
    /// How far ahead of the receiving clock an event's time may be (5 minutes: clocks drift). An event from further in the
    /// future would become the customer's clock: every real event after it refused as late, history pruned as if time had passed.
    /// </summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="occurredAt"/> is more than <see cref="MaxFutureSkew"/> after <paramref name="now"/>.</summary>
    public static void ThrowIfFromTheFuture(DateTime occurredAt, DateTime now)
    {
        if (occurredAt > now + MaxFutureSkew)
        {
            throw new ArgumentException(
                $"InteractionEvent.occurredAt {occurredAt:O} is {(occurredAt - now).TotalMinutes:0} minutes after the time it was received ({now:O}); at most {MaxFutureSkew.TotalMinutes:0} minutes ahead is accepted",
                nameof(occurredAt));
        }
    }

    /// <summary>Checks what an event read in place (not decoded) tells of itself: its channel, its time and whether its subject has an id.</summary>
    /// <exception cref="ArgumentException">What is wrong.</exception>
    public static void ThrowIfInvalid(Channel channel, DateTime occurredAt, bool subjectHasId)
    {
        if (channel == Channel.UNKNOWN)
        {
            throw new ArgumentException("InteractionEvent.channel must name a channel (got UNKNOWN)", nameof(channel));
        }
        if (!subjectHasId)
        {
            throw new ArgumentException("InteractionEvent.subject needs a customerId, anonymousId or deviceId", nameof(subjectHasId));
        }
        if (occurredAt == default)
        {
            throw new ArgumentException("InteractionEvent.occurredAt is required", nameof(occurredAt));
        }
    }
}
