using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Journeys;

/// <summary>
/// Folds one interaction into a journey. Late events (older than what the journey already holds)
/// do not move it back, and the same event applied twice changes nothing the second time.
/// </summary>
public static class JourneyFold
{
    /// <summary>Returns the journey after <paramref name="interaction"/>.</summary>
    public static CustomerJourney Apply(CustomerJourney journey, InteractionEvent interaction)
    {
        ArgumentNullException.ThrowIfNull(journey);
        ArgumentNullException.ThrowIfNull(interaction);
        var next = interaction.occurredAt >= journey.LastSeenAt
            ? journey with { LastChannel = interaction.channel, LastSeenAt = interaction.occurredAt }
            : journey;

        return interaction.payload switch
        {
            CartUpdated cart => ApplyCart(next, cart, interaction),
            OrderPlaced order => ApplyOrder(next, order, interaction.occurredAt),
            _ => next,
        };
    }

    private static CustomerJourney ApplyCart(CustomerJourney journey, CartUpdated cart, InteractionEvent interaction)
    {
        if (journey.Cart is { } current && (current.UpdatedAt > interaction.occurredAt || current.UpdateEventId == interaction.eventId))
        {
            return journey;
        }
        return journey with
        {
            Cart = cart.lines.Count == 0
                ? null
                : new OpenCart(cart.cartId, [.. cart.lines], (decimal)cart.total, cart.currency, interaction.channel, interaction.occurredAt, interaction.eventId, interaction.traceParent),
        };
    }

    private static CustomerJourney ApplyOrder(CustomerJourney journey, OrderPlaced order, DateTime orderedAt) =>
        journey.Cart is { } cart && (order.cartId == cart.CartId || cart.UpdatedAt <= orderedAt)
            ? journey with { Cart = null }
            : journey;
}
