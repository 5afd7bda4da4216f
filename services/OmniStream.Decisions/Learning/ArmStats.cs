namespace OmniStream.Decisions.Learning;

/// <summary>
/// What is known of one arm (an action for one learning segment): how often it was sent, how often it converted. A value:
/// counting an action sent makes no object, and a candidate keeps the counts it was scored with.
/// </summary>
/// <param name="Sent">Actions sent.</param>
/// <param name="Converted">Of those, actions that converted.</param>
public readonly record struct ArmStats(long Sent, long Converted)
{
    /// <summary>Nothing known yet.</summary>
    public static ArmStats None { get; } = new(0, 0);

    /// <summary>The key of the arm of <paramref name="action"/> for <paramref name="segment"/>.</summary>
    public static string Key(string action, string segment) => $"{action}/{segment}";

    /// <summary>These counts plus one action sent.</summary>
    public ArmStats WithSent() => this with { Sent = Sent + 1 };

    /// <summary>These counts plus one conversion.</summary>
    public ArmStats WithConverted() => this with { Converted = Converted + 1 };
}
