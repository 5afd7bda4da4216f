using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>What each kind of interaction changes in the state, beyond the timeline and channel activity.</summary>
internal static class PayloadFold
{
    public static CustomerState Apply(CustomerState state, InteractionEvent e, FoldOptions options) => e.payload switch
    {
        ProductViewed view => state with
        {
            ProductViews = Stamped.Newest(state.ProductViews, [new ProductView(view.productId, view.category, e.channel, e.occurredAt, e.eventId)], options.ProductViews),
        },
        CartUpdated cart => state with { LatestCart = Stamped.Latest(state.LatestCart, Cart(cart, e)) },
        OrderPlaced order => ActionAttribution.Attribute(
            WithOrder(state, new OrderRecord(order.orderId, order.cartId, e.occurredAt, (decimal)order.total, order.currency, e.channel, order.storeId)),
            e.occurredAt, options.AttributionWindow),
        SupportTicketOpened opened => WithTicket(state, new TicketRecord(opened.ticketId, opened.topic, e.channel, e.occurredAt, null, null)),
        SupportTicketResolved resolved => WithTicket(state, new TicketRecord(resolved.ticketId, null, null, null, e.occurredAt, resolved.resolution)),
        SurveyAnswered survey => state with
        {
            LastNps = survey.nps is { } nps ? Stamped.Latest(state.LastNps, new SurveyScore(nps, survey.surveyId, e.channel, e.occurredAt, e.eventId)) : state.LastNps,
            LastCes = survey.ces is { } ces ? Stamped.Latest(state.LastCes, new SurveyScore(ces, survey.surveyId, e.channel, e.occurredAt, e.eventId)) : state.LastCes,
        },
        ConsentChanged consent => state with
        {
            Consents = state.Consents.SetItem(
                ConsentRecord.KeyOf(consent.purpose, consent.consentChannel),
                Stamped.Latest(state.Consents.GetValueOrDefault(ConsentRecord.KeyOf(consent.purpose, consent.consentChannel)),
                    new ConsentRecord(consent.purpose, consent.consentChannel, consent.granted, e.occurredAt, e.eventId))!),
        },
        ProfileUpdated profile => state with
        {
            Profile = profile.attributes.Aggregate(state.Profile, (attributes, a) =>
                attributes.SetItem(a.Key, Stamped.Latest(attributes.GetValueOrDefault(a.Key), new ProfileValue(a.Value, e.occurredAt, e.eventId))!)),
        },
        Identified identified when identified.anonymousId != state.CustomerId => state with { LinkedIds = state.LinkedIds.Add(identified.anonymousId) },
        _ => state,
    };

    private static CartSnapshot Cart(CartUpdated cart, InteractionEvent e) => new(
        cart.cartId, [.. cart.lines.Select(l => new CartLine(l.productId, l.quantity, (decimal)l.unitPrice))],
        (decimal)cart.total, cart.currency, e.channel, e.occurredAt, e.eventId, e.traceParent);

    // An order reported twice (a till that retries with a new event id) counts once: the earlier report stands.
    private static CustomerState WithOrder(CustomerState state, OrderRecord order) =>
        state.Orders.TryGetValue(order.OrderId, out var known) && known.PlacedAt <= order.PlacedAt
            ? state
            : state with { Orders = state.Orders.SetItem(order.OrderId, order) };

    private static CustomerState WithTicket(CustomerState state, TicketRecord ticket) => state with
    {
        Tickets = state.Tickets.SetItem(ticket.TicketId, (state.Tickets.TryGetValue(ticket.TicketId, out var known) ? known : new TicketRecord(ticket.TicketId, null, null, null, null, null)).Merge(ticket)),
    };
}
