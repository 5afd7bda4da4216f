using System.Collections.Immutable;
using MemoryPack;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.State;

/// <summary>
/// A moment of a policy waiting for its time (a cart left idle, the morning after an order, the day
/// before a booking, the end of quiet hours). One per key: a newer trigger of the same key replaces
/// it (latest event time wins), and once decided it stays, marked done, until it is older than the
/// lateness bound, so that a late or replayed older trigger cannot bring it back. Done, it keeps only
/// what tells it apart: its trace and facts, needed no more, are not kept (nor stored, nor exported).
/// </summary>
/// <param name="Key">The moment, and the booking or ticket it is about when there can be several at once.</param>
/// <param name="Moment">The policy moment to decide.</param>
/// <param name="DueAt">When to decide.</param>
/// <param name="TriggeredAt">When its trigger happened (event time).</param>
/// <param name="TriggerEventId">The event that triggered it.</param>
/// <param name="TriggerChannel">The channel of that event.</param>
/// <param name="TraceParent">The W3C traceparent of that event.</param>
/// <param name="Facts">What the trigger said that the decision needs (a booking's time and store, a ticket's id).</param>
/// <param name="DoneAt">When it was decided; null while waiting.</param>
[MemoryPackable]
public sealed partial record PendingDecision(
    string Key, string Moment, DateTime DueAt, DateTime TriggeredAt, Guid TriggerEventId, Channel TriggerChannel, string? TraceParent,
    ImmutableSortedDictionary<string, string> Facts, [property: ZeroPadded<DateTime>] DateTime? DoneAt = null) : IStamped
{
    DateTime IStamped.At => TriggeredAt;

    Guid IStamped.EventId => TriggerEventId;

    /// <summary>True while it waits to be decided.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsWaiting => DoneAt is null;

    /// <summary>This moment, decided at <paramref name="at"/>: without its trace and facts.</summary>
    public PendingDecision Done(DateTime at) => this with { DoneAt = at, TraceParent = null, Facts = NoFacts };

    private static readonly ImmutableSortedDictionary<string, string> NoFacts = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}
