using System.Collections.Immutable;
using System.Globalization;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Policies;

/// <summary>
/// What a triggering event says: the numbers a moment's conditions compare, and the facts an action
/// carries (a booking's time and store, a ticket's id and channel).
/// </summary>
public static class TriggerFacts
{
    private static readonly Channel[] OnlineChannels = [Channel.WEB, Channel.MOBILE_APP, Channel.CHATBOT, Channel.SOCIAL];

    private static readonly Dictionary<string, Func<InteractionEvent, decimal?>> Metrics = new()
    {
        ["nps"] = e => (e.payload as SurveyAnswered)?.nps,
        ["ces"] = e => (e.payload as SurveyAnswered)?.ces,
        ["app_installed"] = e => e.payload is StoreVisited visit ? (visit.appInstalled ? 1 : 0) : null,
        ["push_enabled"] = e => e.payload is AppOpened app ? (app.pushEnabled ? 1 : 0) : null,
        ["online"] = e => OnlineChannels.Contains(e.channel) ? 1 : 0,
        ["order_total"] = e => e.payload is OrderPlaced order ? Amount.ToDecimal(order.total) : null,
        ["cart_total"] = e => e.payload is CartUpdated cart ? Amount.ToDecimal(cart.total) : null,
    };

    /// <summary>No facts.</summary>
    public static readonly ImmutableSortedDictionary<string, string> None = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Every metric a moment's conditions may compare, sorted.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [.. Metrics.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The kinds of interaction a moment may be triggered by: the payload names of <see cref="InteractionEvent"/>.</summary>
    public static IReadOnlyList<string> EventNames { get; } =
        [.. ((Avro.UnionSchema)((Avro.RecordSchema)InteractionEvent._SCHEMA)["payload"].Schema).Schemas.Select(s => ((Avro.NamedSchema)s).Name)];

    /// <summary>The value of <paramref name="metric"/> for <paramref name="interaction"/> (null when the event does not say).</summary>
    public static decimal? Metric(InteractionEvent interaction, string metric)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return Metrics[metric](interaction);
    }

    /// <summary>The payload name of <paramref name="interaction"/>.</summary>
    public static string EventName(InteractionEvent interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return interaction.payload.GetType().Name;
    }

    /// <summary>
    /// What a decision about <paramref name="interaction"/> needs to know, once the event is folded into <paramref name="state"/>;
    /// <paramref name="earlier"/> itself when they are the same facts as the moment's earlier trigger's (a cart updated again).
    /// </summary>
    public static ImmutableSortedDictionary<string, string> Of(InteractionEvent interaction, CustomerState state, ImmutableSortedDictionary<string, string>? earlier = null)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(state);
        // A cart's moment, the commonest, carries one fact: made without a builder, and not made again for the same cart.
        if (interaction.payload is CartUpdated updated)
        {
            return earlier is { Count: 1 } && earlier.TryGetValue("cartId", out var cart) && cart == updated.cartId ? earlier : None.Add("cartId", updated.cartId);
        }
        var facts = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        switch (interaction.payload)
        {
            case ServiceBooked booking:
                facts["bookingId"] = booking.bookingId;
                facts["service"] = booking.service;
                facts["scheduledAt"] = Iso(booking.scheduledAt);
                Add(facts, "storeId", booking.storeId);
                break;
            case SupportTicketResolved resolved:
                facts["ticketId"] = resolved.ticketId;
                Add(facts, "resolution", resolved.resolution);
                var ticket = state.Tickets.GetValueOrDefault(resolved.ticketId);
                Add(facts, "topic", ticket?.Topic);
                facts["ticketChannel"] = (ticket?.Channel ?? interaction.channel).ToString();
                break;
            case SupportTicketOpened opened:
                facts["ticketId"] = opened.ticketId;
                facts["topic"] = opened.topic;
                break;
            case OrderPlaced order:
                facts["orderId"] = order.orderId;
                facts["orderTotal"] = (Amount.ToDecimal(order.total)).ToString("0.00", CultureInfo.InvariantCulture);
                facts["currency"] = order.currency;
                facts["products"] = string.Join(",", order.lines.Select(l => l.productId));
                Add(facts, "storeId", order.storeId);
                break;
            case StoreVisited visit:
                facts["storeId"] = visit.storeId;
                break;
            case SurveyAnswered survey:
                facts["surveyId"] = survey.surveyId;
                Add(facts, "nps", survey.nps?.ToString(CultureInfo.InvariantCulture));
                Add(facts, "ces", survey.ces?.ToString(CultureInfo.InvariantCulture));
                break;
        }
        return facts.ToImmutable();
    }

    /// <summary>What a moment triggered by entering <paramref name="segment"/> carries.</summary>
    public static ImmutableSortedDictionary<string, string> OfSegment(string segment) => None.Add("segment", segment);

    /// <summary>
    /// What tells apart triggers of one moment that wait side by side (two bookings), or "" when a
    /// newer trigger replaces the older (a cart updated again).
    /// </summary>
    public static string InstanceOf(IReadOnlyDictionary<string, string> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.GetValueOrDefault("bookingId") ?? facts.GetValueOrDefault("ticketId") ?? "";
    }

    /// <summary>The booked time in <paramref name="facts"/>, if any.</summary>
    public static DateTime? ScheduledAt(IReadOnlyDictionary<string, string> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.TryGetValue("scheduledAt", out var text)
            ? DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
            : null;
    }

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static void Add(ImmutableSortedDictionary<string, string>.Builder facts, string name, string? value)
    {
        if (value is not null)
        {
            facts[name] = value;
        }
    }
}
