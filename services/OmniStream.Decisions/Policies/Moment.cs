using OmniStream.Customers.Segments;

namespace OmniStream.Decisions.Policies;

/// <summary>
/// A moment of a customer's life that calls for a decision: an event (optionally with conditions on
/// it), or entering a segment; decided at once, after a delay, or at a time of its own; each
/// moment picks the best of its actions, or none.
/// </summary>
/// <param name="Name">The moment's name.</param>
/// <param name="Description">What it is, for people.</param>
/// <param name="ReasonCode">The reason code its actions carry (default: the name in capitals).</param>
/// <param name="OnEvent">The interaction that triggers it (a payload name such as <c>CartUpdated</c>), or null.</param>
/// <param name="OnSegmentEntered">The segment whose entry triggers it, or null.</param>
/// <param name="When">Conditions on the triggering event (<see cref="TriggerFacts.MetricNames"/>); all must hold.</param>
/// <param name="WhenText">The conditions as written.</param>
/// <param name="After">Decide this long after the trigger; a newer trigger of the moment restarts the wait.</param>
/// <param name="At">Decide at a time of the moment's own (next morning, the day before a booking).</param>
/// <param name="Actions">The actions it chooses from.</param>
/// <param name="PauseMarketing">When triggered, no marketing action for this long.</param>
public sealed record Moment(
    string Name, string Description, string ReasonCode, string? OnEvent, string? OnSegmentEntered,
    IReadOnlyList<SegmentCondition> When, string WhenText, TimeSpan? After, MomentTime? At,
    IReadOnlyList<string> Actions, TimeSpan? PauseMarketing)
{
    /// <summary>True when the moment waits for a time instead of deciding at once.</summary>
    public bool Waits => After is not null || At is not null;

    /// <summary>The trigger, as written in the file.</summary>
    public string TriggerText => OnEvent ?? $"{PolicyFile.SegmentEnteredPrefix}{OnSegmentEntered}";
}

/// <summary>A time of a moment's own: a local time on the day after the trigger, or some time before the booked time.</summary>
/// <param name="NextDayAt">This local time (customer's time zone) on the day after the trigger.</param>
/// <param name="BeforeScheduled">This long before the time the trigger booked (<c>scheduledAt</c>).</param>
/// <param name="Text">As written in the file.</param>
public sealed record MomentTime(TimeOnly? NextDayAt, TimeSpan? BeforeScheduled, string Text);
