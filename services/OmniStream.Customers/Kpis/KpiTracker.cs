using System.Collections.Immutable;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Kpis;

/// <summary>
/// Turns what happens to a customer into KPI facts. A journey is a run of interactions on one
/// channel (and, for scopes ALL and SEGMENT, on any channel) with no pause longer than the journey
/// gap; it counts once, in the windows of its start, and converts at most once, when an order ends
/// it. Surveys count in the windows of their answer; actions in the windows of their decision.
/// Segment scopes are the customer's segments as of the event.
/// </summary>
public sealed class KpiTracker(KpiOptions options)
{
    private static readonly KpiCounts OneJourney = new(Journeys: 1);
    private static readonly KpiCounts OneConversion = new(Conversions: 1);

    /// <summary>The journeys and facts after <paramref name="interaction"/> turned <paramref name="before"/> into <paramref name="after"/>.</summary>
    public (JourneyMarks Marks, IReadOnlyList<KpiFact> Facts) Track(JourneyMarks marks, CustomerState before, CustomerState after, InteractionEvent interaction)
    {
        ArgumentNullException.ThrowIfNull(marks);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(interaction);
        var facts = new List<KpiFact>();
        var at = interaction.occurredAt;
        var channel = interaction.channel;
        KpiScope[] crossChannel = [KpiScope.All, .. after.Segments.Select(KpiScope.Segment)];
        marks = Follow(marks, JourneyMarks.AllChannels, before.LastEventAt, at, crossChannel, facts);
        marks = Follow(marks, channel.ToString(), before.Channels.GetValueOrDefault(channel)?.LastSeenAt, at, [KpiScope.Channel(channel)], facts);
        switch (interaction.payload)
        {
            case OrderPlaced:
                marks = Convert(marks, JourneyMarks.AllChannels, at, facts);
                marks = Convert(marks, channel.ToString(), at, facts);
                break;
            case SurveyAnswered survey:
                KpiScope[] answered = [.. crossChannel, KpiScope.Channel(channel)];
                if (survey.nps is { } nps)
                {
                    var counts = new KpiCounts(NpsResponses: 1, Promoters: nps >= 9 ? 1 : 0, Detractors: nps <= 6 ? 1 : 0);
                    facts.AddRange(answered.Select(scope => new KpiFact(at, scope, counts)));
                }
                if (survey.ces is { } ces)
                {
                    facts.AddRange(answered.Select(scope => new KpiFact(at, scope, new KpiCounts(CesResponses: 1, CesSum: ces))));
                }
                break;
        }
        return (marks, facts);
    }

    /// <summary>
    /// The customer's journeys once the journeys <paramref name="gathered"/> under an id just tied to
    /// them (with that id's state) join theirs. A journey the customer started while the id's journey
    /// was still going on (the login in the middle of a visit) is the same journey: it is counted
    /// back out, and the earlier one goes on.
    /// </summary>
    public (JourneyMarks Marks, IReadOnlyList<KpiFact> Facts) Absorb(JourneyMarks marks, JourneyMarks gathered, CustomerState gatheredState)
    {
        ArgumentNullException.ThrowIfNull(marks);
        ArgumentNullException.ThrowIfNull(gathered);
        ArgumentNullException.ThrowIfNull(gatheredState);
        var facts = new List<KpiFact>();
        foreach (var (key, earlier) in gathered.Journeys)
        {
            if (!marks.Journeys.TryGetValue(key, out var own))
            {
                marks = marks with { Journeys = marks.Journeys.SetItem(key, earlier) };
                continue;
            }
            var lastSeen = key == JourneyMarks.AllChannels
                ? gatheredState.LastEventAt
                : Enum.TryParse<Channel>(key, out var channel) ? gatheredState.Channels.GetValueOrDefault(channel)?.LastSeenAt : null;
            if (own.StartedAt < earlier.StartedAt || lastSeen is not { } last || own.StartedAt - last > options.JourneyGap)
            {
                continue;
            }
            facts.AddRange(own.Count(new KpiCounts(Journeys: -1, Conversions: own.Converted ? -1 : 0)));
            if (own.Converted && !earlier.Converted)
            {
                facts.AddRange(earlier.Count(OneConversion));
            }
            marks = marks with { Journeys = marks.Journeys.SetItem(key, earlier with { Converted = earlier.Converted || own.Converted }) };
        }
        return (marks, facts);
    }

    /// <summary>The facts of an action just decided: sent, or withheld from a customer in an experiment's control group.</summary>
    public static IReadOnlyList<KpiFact> Decided(ActionRecord action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return ActionFacts(action, action.Withheld ? new KpiCounts(ActionsWithheld: 1) : new KpiCounts(ActionsSent: 1));
    }

    /// <summary>The facts of the actions that converted from <paramref name="before"/> to <paramref name="after"/> (by an outcome or an order), each once.</summary>
    public static IReadOnlyList<KpiFact> Converted(CustomerState before, CustomerState after)
    {
        var converted = new KpiCounts(ActionsConverted: 1);
        return [.. ActionAttribution.NewlyConverted(before, after).SelectMany(a => ActionFacts(a, converted))];
    }

    private static KpiFact[] ActionFacts(ActionRecord action, KpiCounts counts) =>
        ActionFacts(action.DecidedAt, action.Type, action.Variant, action.Channel, counts);

    private static KpiFact[] ActionFacts(DateTime at, ActionType type, string? variant, Channel channel, KpiCounts counts) =>
        [new(at, KpiScope.Action(type, variant), counts), new(at, KpiScope.All, counts), new(at, KpiScope.Channel(channel), counts)];

    // The event starts a journey unless it comes within the gap after the previous interaction (or before it: a late event).
    private JourneyMarks Follow(JourneyMarks marks, string key, DateTime? lastSeen, DateTime at, KpiScope[] scopes, List<KpiFact> facts)
    {
        var starts = !marks.Journeys.ContainsKey(key) || lastSeen is not { } last || last == DateTime.MinValue || at - last > options.JourneyGap;
        if (!starts)
        {
            return marks;
        }
        facts.AddRange(scopes.Select(scope => new KpiFact(at, scope, OneJourney)));
        return marks with { Journeys = marks.Journeys.SetItem(key, new Journey(at, [.. scopes.Select(s => s.ToString())], false)) };
    }

    private static JourneyMarks Convert(JourneyMarks marks, string key, DateTime at, List<KpiFact> facts)
    {
        if (!marks.Journeys.TryGetValue(key, out var journey) || journey.Converted || at < journey.StartedAt)
        {
            return marks;
        }
        facts.AddRange(journey.Count(OneConversion));
        return marks with { Journeys = marks.Journeys.SetItem(key, journey with { Converted = true }) };
    }
}
