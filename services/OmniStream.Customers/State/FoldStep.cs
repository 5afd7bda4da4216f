namespace OmniStream.Customers.State;

/// <summary>What folding one event did, with what the KPIs need of the state before it.</summary>
/// <param name="Verdict">Folded, or dropped (a duplicate, or too late).</param>
/// <param name="PreviousEventAt">The state's newest event before this one.</param>
/// <param name="PreviousChannelSeenAt">The customer's latest interaction on the event's channel before this one, if any.</param>
/// <param name="Converted">The action this event converted (an order attributed to it), if any.</param>
public readonly record struct FoldStep(FoldVerdict Verdict, DateTime PreviousEventAt, DateTime? PreviousChannelSeenAt, ActionRecord? Converted)
{
    /// <summary>A step that changed nothing.</summary>
    public static FoldStep Dropped(FoldVerdict verdict) => new(verdict, DateTime.MinValue, null, null);
}
