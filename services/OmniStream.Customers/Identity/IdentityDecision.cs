namespace OmniStream.Customers.Identity;

/// <summary>What identity resolution decided for one event.</summary>
/// <param name="RouteTo">The key of the customer state the event belongs to: a customer id, or the anonymous or device id not linked yet.</param>
/// <param name="NewLink">A link to record: the id now belongs to the customer.</param>
/// <param name="MergeFrom">The id whose state (browsing, cart) must now be merged into <paramref name="RouteTo"/>.</param>
/// <param name="Conflict">A link that was refused, to be recorded.</param>
public sealed record IdentityDecision(string RouteTo, IdentityLink? NewLink = null, string? MergeFrom = null, LinkConflict? Conflict = null);

/// <summary>An anonymous or device id tied to a customer.</summary>
/// <param name="Id">The anonymous or device id.</param>
/// <param name="CustomerId">The customer it belongs to.</param>
/// <param name="Method">How it was tied: login, loyalty_card, email_link, ...</param>
/// <param name="LinkedAt">The event time of the link.</param>
/// <param name="EventId">The event that made the link.</param>
public sealed record IdentityLink(string Id, string CustomerId, string Method, DateTime LinkedAt, Guid EventId);

/// <summary>A link refused because the id already belongs to another customer.</summary>
/// <param name="Id">The id.</param>
/// <param name="OwnerId">The customer it belongs to.</param>
/// <param name="RefusedCustomerId">The customer the refused event tried to tie it to.</param>
/// <param name="EventId">The refused event.</param>
public sealed record LinkConflict(string Id, string OwnerId, string RefusedCustomerId, Guid EventId);
