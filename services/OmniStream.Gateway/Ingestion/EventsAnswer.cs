namespace OmniStream.Gateway.Ingestion;

/// <summary>What became of each event of a <c>POST /events</c>, by its index in the request (0 for a single event).</summary>
/// <param name="Accepted">The events the brokers acknowledged, with the id each was published under.</param>
/// <param name="Rejected">The events refused, each with what is wrong (its field named); none of them was published.</param>
/// <param name="Unacknowledged">
/// Valid events the brokers did not acknowledge (answered 503): each may or may not have been
/// published; post it again with the event id given here, which the worker uses to drop the copy.
/// </param>
public sealed record EventsAnswer(IReadOnlyList<AcceptedEvent> Accepted, IReadOnlyList<RejectedEvent> Rejected, IReadOnlyList<UnacknowledgedEvent> Unacknowledged);

/// <summary>An event published: its index in the request and its event id (the one given, or the one assigned).</summary>
public sealed record AcceptedEvent(int Index, Guid EventId);

/// <summary>An event refused: its index in the request and why.</summary>
public sealed record RejectedEvent(int Index, string Error);

/// <summary>A valid event whose publication the brokers did not confirm: its index, its event id, and the brokers' error.</summary>
public sealed record UnacknowledgedEvent(int Index, Guid EventId, string Error);
