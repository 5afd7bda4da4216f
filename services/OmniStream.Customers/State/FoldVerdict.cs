namespace OmniStream.Customers.State;

/// <summary>What folding one event did.</summary>
public enum FoldVerdict
{
    /// <summary>The event was folded into the state.</summary>
    Applied,

    /// <summary>The same event (same id) was folded before: nothing changed.</summary>
    Duplicate,

    /// <summary>The event is older than the lateness bound allows: nothing changed, the caller sets it aside.</summary>
    TooLate,
}
