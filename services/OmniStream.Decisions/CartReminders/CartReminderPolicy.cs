using System.Globalization;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.CartReminders;

/// <summary>
/// A cart updated and not ordered within the idle time yields one reminder, on the channel where
/// the customer was last active (or the fallback channel when that one cannot show it).
/// </summary>
public sealed class CartReminderPolicy(CartReminderOptions options)
{
    /// <summary>The template channels render.</summary>
    public const string ContentRef = "cart-reminder/v1";

    /// <summary>When a reminder becomes due for this journey; null when none is pending.</summary>
    public DateTime? DueAt(CustomerState customer) =>
        customer.CartAwaitsReminder ? customer.Cart!.UpdatedAt + options.IdleTime : null;

    /// <summary>The reminder to send at <paramref name="now"/>, or null when none is due.</summary>
    public NextBestAction? Decide(CustomerState customer, DateTime now)
    {
        if (DueAt(customer) is not { } due || due > now)
        {
            return null;
        }
        var cart = customer.Cart!;
        var onLastChannel = options.DeliverableChannels.Contains(customer.LastChannel);
        var channel = onLastChannel ? customer.LastChannel : options.FallbackChannel;
        return new NextBestAction
        {
            actionId = DeterministicId.From("cart-reminder", customer.CustomerId, cart.UpdateEventId.ToString()),
            customerId = customer.CustomerId,
            channel = channel,
            actionType = ActionType.CART_REMINDER,
            contentRef = ContentRef,
            parameters = Parameters(cart),
            score = (double)cart.Total,
            reasonCodes = ["CART_IDLE", onLastChannel ? "LAST_ACTIVE_CHANNEL" : "FALLBACK_CHANNEL"],
            rulesFired =
            [
                $"cart-reminder: cart {cart.CartId} ({Money(cart)}) updated on {cart.Channel} untouched and unordered for {options.IdleTime}",
                onLastChannel
                    ? $"channel: customer last active on {channel}"
                    : $"channel: last active on {customer.LastChannel}, which cannot show a reminder; fallback {channel}",
            ],
            triggerEventId = cart.UpdateEventId,
            triggeredAt = due,
            decidedAt = now,
            expiresAt = now + options.Expiry,
            traceParent = cart.TraceParent,
        };
    }

    private static Dictionary<string, string> Parameters(CartSnapshot cart) => new()
    {
        ["cartId"] = cart.CartId,
        ["total"] = cart.Total.ToString("0.00", CultureInfo.InvariantCulture),
        ["currency"] = cart.Currency,
        ["cartChannel"] = cart.Channel.ToString(),
        ["lines"] = string.Join(",", cart.Lines.Select(l => $"{l.ProductId}x{l.Quantity}")),
    };

    private static string Money(CartSnapshot cart) => $"{cart.Total.ToString("0.00", CultureInfo.InvariantCulture)} {cart.Currency}";
}
