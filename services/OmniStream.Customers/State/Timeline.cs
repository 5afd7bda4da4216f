using System.Globalization;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>The timeline line of an interaction: its kind and a short description for people.</summary>
public static class Timeline
{
    /// <summary>The timeline record of <paramref name="e"/>.</summary>
    public static InteractionRecord Record(InteractionEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new InteractionRecord(e.eventId, e.occurredAt, e.channel, e.payload?.GetType().Name ?? "Unknown", Describe(e.payload));
    }

    private static string Describe(object? payload) => payload switch
    {
        PageViewed p => $"viewed {p.location}",
        ProductViewed p => $"viewed product {p.productId}",
        CartUpdated c => c.lines.Count == 0
            ? $"emptied cart {c.cartId}"
            : string.Create(CultureInfo.InvariantCulture, $"cart {c.cartId}: {c.lines.Count} line(s), {Amount.ToDecimal(c.total):0.00} {c.currency}"),
        CheckoutStarted c => $"started checkout of cart {c.cartId}",
        OrderPlaced o => o.storeId is { } store
            ? string.Create(CultureInfo.InvariantCulture, $"ordered {o.orderId}: {Amount.ToDecimal(o.total):0.00} {o.currency} in store {store}")
            : string.Create(CultureInfo.InvariantCulture, $"ordered {o.orderId}: {Amount.ToDecimal(o.total):0.00} {o.currency}"),
        StoreVisited s => $"visited store {s.storeId}",
        AppOpened => "opened the app",
        EmailOpened m => $"opened email {m.messageId} ({m.campaignId})",
        EmailClicked m => $"clicked {m.url} in email {m.messageId}",
        SupportTicketOpened t => $"opened ticket {t.ticketId} about {t.topic}",
        SupportTicketResolved t => $"ticket {t.ticketId} resolved",
        ChatMessageSent c => $"chat: {c.intent}",
        SurveyAnswered s => $"answered survey {s.surveyId}" + (s.nps is { } n ? $", NPS {n}" : "") + (s.ces is { } c ? $", CES {c}" : ""),
        ConsentChanged c => $"{(c.granted ? "granted" : "withdrew")} {c.purpose} consent on {c.consentChannel}",
        Identified i => $"identified by {i.method}",
        ProfileUpdated p => $"updated {string.Join(", ", p.attributes.Keys.Order(StringComparer.Ordinal))}",
        ServiceBooked b => $"booked {b.service} for {b.scheduledAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}",
        DeviceTelemetry d => $"device {d.deviceId} reported {d.metrics.Count} measurement(s)",
        Tracked t => $"tracked {t.name}",
        _ => "interaction",
    };
}
