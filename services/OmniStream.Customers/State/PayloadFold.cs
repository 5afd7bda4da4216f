using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>What each kind of interaction changes in the state, in place, beyond the timeline and channel activity.</summary>
internal static class PayloadFold
{
    /// <summary>Folds the payload of <paramref name="e"/>; returns the action an order converted, if any.</summary>
    public static ActionRecord? Apply(CustomerState state, InteractionEvent e, FoldOptions options)
    {
        if (SectionOf(e.payload) is var section and >= 0)
        {
            state.MarkChanged(section);
        }
        switch (e.payload)
        {
            case ProductViewed view:
                Stamped.InsertNewest(state.ProductViews, new ProductView(view.productId, view.category, e.channel, e.occurredAt, e.eventId), options.ProductViews, out _);
                return null;
            case CartUpdated cart:
                var latest = Stamped.Latest(state.LatestCart, Cart(cart, e));
                if (!ReferenceEquals(latest, state.LatestCart))
                {
                    state.LatestCart = latest;
                    state.ProfileChanged = true;
                }
                return null;
            case OrderPlaced order:
                WithOrder(state, new OrderRecord(order.orderId, order.cartId, e.occurredAt, Amount.ToDecimal(order.total), order.currency, e.channel, order.storeId));
                return ActionAttribution.Attribute(state, e.occurredAt, options.AttributionWindow);
            case SupportTicketOpened opened:
                WithTicket(state, new TicketRecord(opened.ticketId, opened.topic, e.channel, e.occurredAt, null, null));
                return null;
            case SupportTicketResolved resolved:
                WithTicket(state, new TicketRecord(resolved.ticketId, null, null, null, e.occurredAt, resolved.resolution));
                return null;
            case SurveyAnswered survey:
                if (survey.nps is { } nps)
                {
                    state.LastNps = Changed(state, state.LastNps, new SurveyScore(nps, survey.surveyId, e.channel, e.occurredAt, e.eventId));
                }
                if (survey.ces is { } ces)
                {
                    state.LastCes = Changed(state, state.LastCes, new SurveyScore(ces, survey.surveyId, e.channel, e.occurredAt, e.eventId));
                }
                return null;
            case ConsentChanged consent:
                var key = ConsentRecord.KeyOf(consent.purpose, consent.consentChannel);
                state.Consents[key] = Changed(state, state.Consents.GetValueOrDefault(key),
                    new ConsentRecord(consent.purpose, consent.consentChannel, consent.granted, e.occurredAt, e.eventId));
                return null;
            case ProfileUpdated profile:
                foreach (var (name, value) in profile.attributes)
                {
                    state.Profile[name] = Changed(state, state.Profile.GetValueOrDefault(name), new ProfileValue(value, e.occurredAt, e.eventId));
                }
                return null;
            case Identified identified when identified.anonymousId != state.CustomerId:
                state.ProfileChanged |= state.LinkedIds.Add(identified.anonymousId);
                return null;
            default:
                return null;
        }
    }

    // The section of the state a payload may change, marked before it is folded (a mark too many only costs its encoding at commit).
    private static int SectionOf(object payload) => payload switch
    {
        ProductViewed => StateSections.Views,
        CartUpdated or OrderPlaced => StateSections.Commerce,
        SupportTicketOpened or SupportTicketResolved or SurveyAnswered => StateSections.Service,
        ConsentChanged or ProfileUpdated => StateSections.Profile,
        _ => -1,
    };

    private static CartSnapshot Cart(CartUpdated cart, InteractionEvent e)
    {
        var lines = new CartLine[cart.lines.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = cart.lines[i];
            lines[i] = new CartLine(line.productId, line.quantity, Amount.ToDecimal(line.unitPrice));
        }
        return new CartSnapshot(cart.cartId, lines, Amount.ToDecimal(cart.total), cart.currency, e.channel, e.occurredAt, e.eventId, TraceParent: null);
    }

    // The newer of the two, noting a change of what the profile shows.
    private static T Changed<T>(CustomerState state, T? known, T candidate) where T : class, IStamped
    {
        var latest = Stamped.Latest(known, candidate)!;
        state.ProfileChanged |= !ReferenceEquals(latest, known);
        return latest;
    }

    // An order reported twice (a till that retries with a new event id) counts once: the earlier report stands.
    private static void WithOrder(CustomerState state, OrderRecord order)
    {
        if (!state.Orders.TryGetValue(order.OrderId, out var known) || known.PlacedAt > order.PlacedAt)
        {
            state.Orders[order.OrderId] = order;
            state.ProfileChanged = true;
        }
    }

    private static void WithTicket(CustomerState state, TicketRecord ticket)
    {
        var known = state.Tickets.TryGetValue(ticket.TicketId, out var held) ? held : new TicketRecord(ticket.TicketId, null, null, null, null, null);
        var merged = known.Merge(ticket);
        if (merged != held)
        {
            state.Tickets[ticket.TicketId] = merged;
            state.ProfileChanged = true;
        }
    }
}
