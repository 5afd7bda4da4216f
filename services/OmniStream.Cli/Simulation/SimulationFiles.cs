namespace OmniStream.Cli.Simulation;

/// <summary>
/// The segment and policy files of the evaluation: segment <c>loyal</c> (two orders or more),
/// learnt apart; moment <c>store_visit</c> choosing among the five offers, all with the same prior
/// and value, so that only what outcomes teach tells them apart; the usual contact rules.
/// </summary>
internal static class SimulationFiles
{
    /// <summary>The cap the contact rules set on marketing actions per rolling day.</summary>
    public const int CapPerDay = 2;

    /// <summary>The least time between two marketing actions.</summary>
    public static readonly TimeSpan MinGap = TimeSpan.FromHours(2);

    /// <summary>Writes both files into <paramref name="directory"/>; returns their paths.</summary>
    public static (string Segments, string Policies) Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var segments = Path.Combine(directory, "segments.yaml");
        File.WriteAllText(segments, """
            segments:
              loyal:
                when: orders_lifetime >= 2
            """);
        var policies = Path.Combine(directory, "policies.yaml");
        var offers = string.Join("\n", SimulatedPopulation.Offers.Select(o => $"""
              {o.Action}:
                type: OFFER
                purpose: MARKETING
                channel: MOBILE_APP
                value: 10
                propensity: 0.1
                content: {o.Action.Replace('_', '-')}/v1
            """));
        File.WriteAllText(policies, $"""
            contact_rules:
              caps: {"{"} all: {"{"} day: {CapPerDay}, week: 5 {"}"} {"}"}
              min_gap: {MinGap.TotalHours}h
            learning:
              prior_strength: 10
              segments: [loyal]
            moments:
              store_visit:
                on: StoreVisited
                when: app_installed == 1
                actions: [{string.Join(", ", SimulatedPopulation.Offers.Select(o => o.Action))}]
            actions:
            {offers}
            """);
        return (segments, policies);
    }

    /// <summary>The action a content reference belongs to.</summary>
    public static string ActionOf(string contentRef) => contentRef.Split('/')[0].Replace('-', '_');
}
