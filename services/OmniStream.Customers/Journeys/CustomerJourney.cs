using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Journeys;

/// <summary>What the worker knows of one customer's journey across channels.</summary>
/// <param name="CustomerId">The customer (or, until identified, the anonymous or device id).</param>
/// <param name="LastChannel">The channel of the latest interaction.</param>
/// <param name="LastSeenAt">When that interaction happened (event time).</param>
/// <param name="Cart">The open cart, if any.</param>
/// <param name="CartRemindedFor">The cart update a reminder was already sent for, if any.</param>
public sealed record CustomerJourney(
    string CustomerId,
    Channel LastChannel,
    DateTime LastSeenAt,
    OpenCart? Cart,
    Guid? CartRemindedFor)
{
    /// <summary>A journey with no interaction yet.</summary>
    public static CustomerJourney Empty(string customerId) => new(customerId, Channel.UNKNOWN, DateTime.MinValue, null, null);

    /// <summary>True when the open cart (as last updated) still waits for a reminder.</summary>
    public bool CartAwaitsReminder => Cart is { } cart && CartRemindedFor != cart.UpdateEventId;

    /// <summary>Records that a reminder was sent for the current state of the cart.</summary>
    public CustomerJourney WithCartReminded() => this with { CartRemindedFor = Cart?.UpdateEventId };
}
