namespace OmniStream.Decisions.Policies;

/// <summary>Everything a policy file says: the moments that trigger decisions, the actions they choose from, the contact rules and how learning counts.</summary>
/// <param name="Moments">The moments, in file order.</param>
/// <param name="Actions">The action catalog, by name.</param>
/// <param name="ContactRules">The rules every action obeys.</param>
/// <param name="Learning">How outcomes update propensities.</param>
public sealed record PolicySet(
    IReadOnlyList<Moment> Moments, IReadOnlyDictionary<string, ActionDefinition> Actions, ContactRules ContactRules, LearningSettings Learning)
{
    /// <summary>No moment, no action: nothing is ever decided.</summary>
    public static PolicySet Empty { get; } = new([], new Dictionary<string, ActionDefinition>(), ContactRules.None, LearningSettings.Default);

    /// <summary>The moment named <paramref name="name"/>, or null (a pending moment whose policy was since removed).</summary>
    public Moment? MomentNamed(string name)
    {
        for (var i = 0; i < Moments.Count; i++)
        {
            if (Moments[i].Name == name)
            {
                return Moments[i];
            }
        }
        return null;
    }
}

/// <summary>How outcomes update each action's propensity.</summary>
/// <param name="PriorStrength">How many observations the prior propensity is worth (Beta prior α + β).</param>
/// <param name="Segments">Segments learnt apart, in order of precedence; a customer in none is learnt under <see cref="OtherSegment"/>.</param>
public sealed record LearningSettings(double PriorStrength, IReadOnlyList<string> Segments)
{
    /// <summary>The learning segment of customers in none of <see cref="Segments"/>.</summary>
    public const string OtherSegment = "other";

    /// <summary>A prior worth 20 observations, one learning segment for everyone.</summary>
    public static LearningSettings Default { get; } = new(20, []);

    /// <summary>The segment a customer in <paramref name="segments"/> is learnt under.</summary>
    public string SegmentOf(IReadOnlySet<string> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        for (var i = 0; i < Segments.Count; i++)
        {
            if (segments.Contains(Segments[i]))
            {
                return Segments[i];
            }
        }
        return OtherSegment;
    }
}
