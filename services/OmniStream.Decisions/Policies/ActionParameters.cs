using System.Collections.Immutable;
using System.Globalization;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Policies;

/// <summary>The parameters a channel renders an action with: the trigger's facts, the sets the action includes from the customer's state, and its fixed parameters.</summary>
public static class ActionParameters
{
    /// <summary>The customer profile attribute that holds the loyalty points balance.</summary>
    public const string LoyaltyPointsAttribute = "loyalty_points";

    // Each set with the most parameters it adds (a size for the dictionary, not a limit).
    private static readonly Dictionary<string, (int Size, Action<SortedList<string, string>, CustomerState, TimeSpan, DateTime> Add)> SetsByName = new()
    {
        ["cart"] = (5, static (parameters, state, _, _) =>
        {
            if (state.Cart is not { } cart)
            {
                return;
            }
            parameters["cartId"] = cart.CartId;
            parameters["total"] = Money(cart.Total);
            parameters["currency"] = cart.Currency;
            parameters["cartChannel"] = EnumNames.Of(cart.Channel);
            parameters["lines"] = Lines(cart.Lines);
        }),
        ["loyalty"] = (1, static (parameters, state, _, _) =>
            parameters["loyaltyPoints"] = state.Profile.GetValueOrDefault(LoyaltyPointsAttribute)?.Value ?? "0"),
        ["last_order"] = (3, static (parameters, state, _, _) =>
        {
            if (state.Orders.Values.MaxBy(o => o.PlacedAt) is not { } order)
            {
                return;
            }
            parameters["lastOrderId"] = order.OrderId;
            parameters["lastOrderTotal"] = Money(order.Total);
            parameters["lastOrderChannel"] = EnumNames.Of(order.Channel);
        }),
        ["customer"] = (6, static (parameters, state, window, now) =>
        {
            var orders = state.OrderSummaryAt(now, window);
            parameters["segments"] = string.Join(",", state.Segments);
            parameters["preferredChannel"] = EnumNames.Of(state.PreferredChannel);
            parameters["ordersLifetime"] = orders.OrdersLifetime.ToString(CultureInfo.InvariantCulture);
            parameters["monetaryLifetime"] = Money(orders.MonetaryLifetime);
            parameters["openTickets"] = state.OpenTicketCount.ToString(CultureInfo.InvariantCulture);
            parameters["lastNps"] = state.LastNps?.Score.ToString(CultureInfo.InvariantCulture) ?? "";
        }),
    };

    /// <summary>The sets an action may include, sorted.</summary>
    public static IReadOnlyList<string> Sets { get; } = [.. SetsByName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// The parameters of <paramref name="action"/> for <paramref name="state"/>, triggered with <paramref name="facts"/>,
    /// in <paramref name="reuse"/> emptied (the parameters of an action written into again) when given.
    /// </summary>
    /// <remarks>
    /// Held in a sorted list made to size (two arrays): a hash table of a dozen parameters took twice the bytes,
    /// at every action sent.
    /// </remarks>
    public static SortedList<string, string> For(ActionDefinition action, CustomerState state, ImmutableSortedDictionary<string, string> facts, TimeSpan orderWindow, DateTime now,
        SortedList<string, string>? reuse = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(facts);
        var parameters = reuse is not null && ReferenceEquals(reuse.Comparer, StringComparer.Ordinal)
            ? Emptied(reuse)
            : new SortedList<string, string>(facts.Count + IncludedCount(action) + action.Parameters.Count, StringComparer.Ordinal);
        // The facts' own enumerator: through an interface it would be boxed, at every action.
        foreach (var (name, value) in facts)
        {
            parameters[name] = value;
        }
        for (var i = 0; i < action.Include.Count; i++)
        {
            SetsByName[action.Include[i]].Add(parameters, state, orderWindow, now);
        }
        if (action.Parameters.Count > 0)
        {
            foreach (var (name, value) in action.Parameters)
            {
                parameters[name] = value;
            }
        }
        return parameters;
    }

    private static SortedList<string, string> Emptied(SortedList<string, string> parameters)
    {
        parameters.Clear();
        return parameters;
    }

    // The most parameters the sets of the action add: the dictionary is made to size, once.
    private static int IncludedCount(ActionDefinition action)
    {
        var count = 0;
        for (var i = 0; i < action.Include.Count; i++)
        {
            count += SetsByName[action.Include[i]].Size;
        }
        return count;
    }

    // "sku-1x2,sku-7x1": each line's product and quantity.
    private static string Lines(IReadOnlyList<CartLine> lines)
    {
        var text = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(lines.Count * 2, lines.Count * 2, CultureInfo.InvariantCulture);
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                text.AppendLiteral(",");
            }
            text.AppendFormatted(lines[i].ProductId);
            text.AppendLiteral("x");
            text.AppendFormatted(lines[i].Quantity);
        }
        return text.ToStringAndClear();
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
