using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Journeys;

/// <summary>A cart with lines that has not been ordered yet.</summary>
/// <param name="CartId">The cart's id.</param>
/// <param name="Lines">Its lines after the last update.</param>
/// <param name="Total">Its value.</param>
/// <param name="Currency">ISO 4217 code of <paramref name="Total"/>.</param>
/// <param name="Channel">The channel of the last update.</param>
/// <param name="UpdatedAt">When it was last updated (event time).</param>
/// <param name="UpdateEventId">The event of the last update.</param>
/// <param name="TraceParent">The W3C traceparent of that event, so a reminder continues its trace.</param>
public sealed record OpenCart(
    string CartId,
    IReadOnlyList<LineItem> Lines,
    decimal Total,
    string Currency,
    Channel Channel,
    DateTime UpdatedAt,
    Guid UpdateEventId,
    string? TraceParent);
