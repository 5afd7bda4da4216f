namespace OmniStream.Kafka.Operations.Topics;

/// <summary>What applying a topic's specification found or did.</summary>
public enum TopicOutcome
{
    /// <summary>The topic existed as specified.</summary>
    Ok,

    /// <summary>The topic was created.</summary>
    Created,

    /// <summary>The topic exists with another partition count than specified (nothing was changed).</summary>
    Differs,
}

/// <summary>One topic's line of a <see cref="ITopicAdmin.ApplyAsync"/> report.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Outcome">What was found or done.</param>
/// <param name="Partitions">Its partitions now.</param>
/// <param name="Expected">The partitions its specification says.</param>
public sealed record TopicApplied(string Topic, TopicOutcome Outcome, int Partitions, int Expected)
{
    /// <summary>What differs, for a topic that does; else null.</summary>
    public string? Difference => Outcome == TopicOutcome.Differs ? $"{Topic}: has {Partitions} partitions, catalog says {Expected}" : null;

    /// <summary>The report's line, e.g. <c>created  omni.kpis (6 partitions)</c>.</summary>
    public override string ToString() => Outcome switch
    {
        TopicOutcome.Created => $"created  {Topic} ({Partitions} partitions)",
        TopicOutcome.Ok => $"ok       {Topic} ({Partitions} partitions)",
        _ => $"DIFFERS  {Difference}",
    };
}
