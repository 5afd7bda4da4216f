using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>The snapshot of a customer that <c>omni.customer-profiles</c> carries for CRMs and service desks.</summary>
public static class ProfileProjection
{
    /// <summary>The profile of <paramref name="state"/>; the order figures are as of its newest event.</summary>
    public static CustomerProfile Of(CustomerState state, FoldOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        var orders = state.OrderSummaryAt(state.LastEventAt, options.OrderWindow);
        return new CustomerProfile
        {
            customerId = state.CustomerId,
            linkedIds = [.. state.LinkedIds],
            updatedAt = state.LastEventAt,
            lastChannel = state.LastChannel,
            preferredChannel = state.PreferredChannel,
            attributes = state.Profile.ToDictionary(a => a.Key, a => a.Value.Value),
            consents = [.. state.Consents.Values.Select(c => new ConsentSnapshot { purpose = c.Purpose, channel = c.Channel, granted = c.Granted, changedAt = c.ChangedAt })],
            cart = state.Cart is { } cart
                ? new CartSnapshotRecord
                {
                    cartId = cart.CartId,
                    lines = [.. cart.Lines.Select(l => new LineItem { productId = l.ProductId, quantity = l.Quantity, unitPrice = Amount.Of(l.UnitPrice) })],
                    total = Amount.Of(cart.Total),
                    currency = cart.Currency,
                    channel = cart.Channel,
                    updatedAt = cart.UpdatedAt,
                }
                : null,
            lastOrderAt = orders.LastOrderAt,
            ordersLifetime = orders.OrdersLifetime,
            monetaryLifetime = Amount.Of(orders.MonetaryLifetime),
            ordersInWindow = orders.OrdersInWindow,
            monetaryInWindow = Amount.Of(orders.MonetaryInWindow),
            openTickets = [.. state.OpenTickets.Select(t => t.TicketId)],
            lastNps = state.LastNps?.Score,
            lastCes = state.LastCes?.Score,
            segments = [.. state.Segments],
        };
    }
}
