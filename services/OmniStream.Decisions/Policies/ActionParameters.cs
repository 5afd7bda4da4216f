using System.Globalization;
using OmniStream.Customers.State;

namespace OmniStream.Decisions.Policies;

/// <summary>The parameters a channel renders an action with: the trigger's facts, the sets the action includes from the customer's state, and its fixed parameters.</summary>
public static class ActionParameters
{
    /// <summary>The customer profile attribute that holds the loyalty points balance.</summary>
    public const string LoyaltyPointsAttribute = "loyalty_points";

    private static readonly Dictionary<string, Func<CustomerState, TimeSpan, DateTime, IEnumerable<KeyValuePair<string, string>>>> SetsByName = new()
    {
        ["cart"] = (state, _, _) => state.Cart is not { } cart ? [] :
        [
            new("cartId", cart.CartId), new("total", Money(cart.Total)), new("currency", cart.Currency),
            new("cartChannel", cart.Channel.ToString()), new("lines", string.Join(",", cart.Lines.Select(l => $"{l.ProductId}x{l.Quantity}"))),
        ],
        ["loyalty"] = (state, _, _) => [new("loyaltyPoints", state.Profile.GetValueOrDefault(LoyaltyPointsAttribute)?.Value ?? "0")],
        ["last_order"] = (state, _, _) => state.Orders.Values.MaxBy(o => o.PlacedAt) is not { } order ? [] :
        [
            new("lastOrderId", order.OrderId), new("lastOrderTotal", Money(order.Total)), new("lastOrderChannel", order.Channel.ToString()),
        ],
        ["customer"] = (state, window, now) =>
        {
            var orders = state.OrderSummaryAt(now, window);
            return
            [
                new("segments", string.Join(",", state.Segments)), new("preferredChannel", state.PreferredChannel.ToString()),
                new("ordersLifetime", orders.OrdersLifetime.ToString(CultureInfo.InvariantCulture)),
                new("monetaryLifetime", Money(orders.MonetaryLifetime)),
                new("openTickets", state.OpenTickets.Count().ToString(CultureInfo.InvariantCulture)),
                new("lastNps", state.LastNps?.Score.ToString(CultureInfo.InvariantCulture) ?? ""),
            ];
        },
    };

    /// <summary>The sets an action may include, sorted.</summary>
    public static IReadOnlyList<string> Sets { get; } = [.. SetsByName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The parameters of <paramref name="action"/> for <paramref name="state"/>, triggered with <paramref name="facts"/>.</summary>
    public static Dictionary<string, string> For(ActionDefinition action, CustomerState state, IReadOnlyDictionary<string, string> facts, TimeSpan orderWindow, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(facts);
        var parameters = new Dictionary<string, string>(facts, StringComparer.Ordinal);
        foreach (var (name, value) in action.Include.SelectMany(set => SetsByName[set](state, orderWindow, now)).Concat(action.Parameters))
        {
            parameters[name] = value;
        }
        return parameters;
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
