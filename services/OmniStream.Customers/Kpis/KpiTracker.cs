using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Kpis;

/// <summary>
/// Turns what happens to a customer into KPI facts, keeping the customer's current journeys in their
/// working state (<see cref="CustomerState.Journeys"/>). A journey is a run of interactions on one
/// channel (and, for scopes ALL and SEGMENT, on any channel) with no pause longer than the journey
/// gap; it counts once, in the windows of its start, and converts at most once, when an order ends
/// it. Surveys count in the windows of their answer; actions in the windows of their decision.
/// Segment scopes are the customer's segments as of the event.
/// </summary>
public sealed class KpiTracker(KpiOptions options)
{
    private static readonly KpiCounts OneJourney = new(Journeys: 1);
    private static readonly KpiCounts OneConversion = new(Conversions: 1);
    private static readonly KpiCounts OneSent = new(ActionsSent: 1);
    private static readonly KpiCounts OneWithheld = new(ActionsWithheld: 1);
    private static readonly KpiCounts OneConverted = new(ActionsConverted: 1);
    private static readonly KpiCounts OneEntry = new(SegmentEntries: 1);
    private static readonly KpiCounts OneExit = new(SegmentExits: 1);

    /// <summary>Adds to <paramref name="facts"/> what <paramref name="interaction"/>, folded as <paramref name="step"/>, did (journeys, surveys, the action an order converted), and moves the customer's journeys on.</summary>
    public void Track(CustomerState state, in FoldStep step, InteractionEvent interaction, IKpiFacts facts)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(facts);
        var at = interaction.occurredAt;
        var channel = interaction.channel;
        var channelKey = EnumNames.Of(channel);
        Follow(state, JourneyMarks.AllChannels, step.PreviousEventAt, at, null, facts);
        Follow(state, channelKey, step.PreviousChannelSeenAt, at, channel, facts);
        switch (interaction.payload)
        {
            case OrderPlaced:
                Convert(state, JourneyMarks.AllChannels, at, facts);
                Convert(state, channelKey, at, facts);
                break;
            case SurveyAnswered survey:
                KpiScope[] answered = [.. CrossChannel(state), KpiScope.Channel(channel)];
                if (survey.nps is { } nps)
                {
                    var counts = new KpiCounts(NpsResponses: 1, Promoters: nps >= 9 ? 1 : 0, Detractors: nps <= 6 ? 1 : 0);
                    foreach (var scope in answered)
                    {
                        facts.Add(new KpiFact(at, scope, counts));
                    }
                }
                if (survey.ces is { } ces)
                {
                    var counts = new KpiCounts(CesResponses: 1, CesSum: ces);
                    foreach (var scope in answered)
                    {
                        facts.Add(new KpiFact(at, scope, counts));
                    }
                }
                break;
        }
        if (step.Converted is { } converted)
        {
            Converted(converted, facts);
        }
    }

    /// <summary>
    /// Joins the journeys <paramref name="gathered"/> under an id just tied to the customer (with that
    /// id's state) to the customer's. A journey the customer started while the id's journey was still
    /// going on (the login in the middle of a visit) is the same journey: it is counted back out, and
    /// the earlier one goes on.
    /// </summary>
    public void Absorb(CustomerState state, IEnumerable<KeyValuePair<string, Journey>> gathered, CustomerState gatheredState, IKpiFacts facts)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(gathered);
        ArgumentNullException.ThrowIfNull(gatheredState);
        ArgumentNullException.ThrowIfNull(facts);
        foreach (var (key, earlier) in gathered.ToList())
        {
            if (!state.Journeys.TryGetValue(key, out var own))
            {
                Set(state, key, earlier);
                continue;
            }
            var lastSeen = key == JourneyMarks.AllChannels
                ? gatheredState.LastEventAt
                : Enum.TryParse<Channel>(key, out var channel) ? gatheredState.Channels.Find(channel)?.LastSeenAt : null;
            if (own.StartedAt < earlier.StartedAt || lastSeen is not { } last || own.StartedAt - last > options.JourneyGap)
            {
                continue;
            }
            own.Count(new KpiCounts(Journeys: -1, Conversions: own.Converted ? -1 : 0), facts);
            if (own.Converted && !earlier.Converted)
            {
                earlier.Count(OneConversion, facts);
            }
            Set(state, key, earlier with { Converted = earlier.Converted || own.Converted });
        }
    }

    /// <summary>Adds the facts of an action just decided: sent, or withheld from a customer in an experiment's control group.</summary>
    public static void Decided(ActionRecord action, IKpiFacts facts)
    {
        ArgumentNullException.ThrowIfNull(action);
        ActionFacts(action, action.Withheld ? OneWithheld : OneSent, facts);
    }

    /// <summary>Adds the facts of an action that just converted (by an outcome or an order).</summary>
    public static void Converted(ActionRecord action, IKpiFacts facts)
    {
        ArgumentNullException.ThrowIfNull(action);
        ActionFacts(action, OneConverted, facts);
    }

    /// <summary>Adds the fact of a customer who came into (<paramref name="entered"/>) or left <paramref name="segment"/> at <paramref name="at"/>.</summary>
    public static void SegmentMoved(string segment, bool entered, DateTime at, IKpiFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        facts.Add(new KpiFact(at, KpiScope.Segment(segment), entered ? OneEntry : OneExit));
    }

    /// <summary>Adds the exits of a customer's state that goes (erased, or merged into another customer) from each of its segments.</summary>
    public static void Gone(CustomerState state, DateTime at, IKpiFacts facts)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var segment in state.Segments)
        {
            SegmentMoved(segment, entered: false, at, facts);
        }
    }

    private static void ActionFacts(ActionRecord action, KpiCounts counts, IKpiFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        facts.Add(new KpiFact(action.DecidedAt, KpiScope.Action(action.Type, action.Variant), counts));
        facts.Add(new KpiFact(action.DecidedAt, KpiScope.All, counts));
        facts.Add(new KpiFact(action.DecidedAt, KpiScope.Channel(action.Channel), counts));
    }


    // A customer in no segment journeys across channels in ALL alone: one list of scopes, and of their names, shared.
    private static readonly KpiScope[] AllOnly = [KpiScope.All];
    private static readonly System.Collections.Immutable.ImmutableArray<string> AllOnlyNames = [KpiScope.All.ToString()];

    // Shared when the customer is in no segment: read, never changed.
    private static KpiScope[] CrossChannel(CustomerState state)
    {
        if (state.Segments.Count == 0)
        {
            return AllOnly;
        }
        var scopes = new KpiScope[1 + state.Segments.Count];
        scopes[0] = KpiScope.All;
        for (var i = 0; i < state.Segments.Count; i++)
        {
            scopes[i + 1] = KpiScope.Segment(state.Segments[i]);
        }
        return scopes;
    }

    // The event starts a journey unless it comes within the gap after the previous interaction (or before it: a late event).
    // A journey on one channel counts in that channel's scope; the cross-channel one (no channel) in ALL and the segments.
    private void Follow(CustomerState state, string key, DateTime? lastSeen, DateTime at, Channel? channel, IKpiFacts facts)
    {
        var starts = !state.Journeys.ContainsKey(key) || lastSeen is not { } last || last == DateTime.MinValue || at - last > options.JourneyGap;
        if (!starts)
        {
            return;
        }
        if (channel is { } one)
        {
            var scope = KpiScope.Channel(one);
            facts.Add(new KpiFact(at, scope, OneJourney));
            Set(state, key, new Journey(at, Journey.ScopesOn(one), false));
            return;
        }
        var scopes = CrossChannel(state);
        foreach (var scope in scopes)
        {
            facts.Add(new KpiFact(at, scope, OneJourney));
        }
        Set(state, key, new Journey(at, scopes == AllOnly ? AllOnlyNames : [.. scopes.Select(s => s.ToString())], false));
    }

    private static void Convert(CustomerState state, string key, DateTime at, IKpiFacts facts)
    {
        if (!state.Journeys.TryGetValue(key, out var journey) || journey.Converted || at < journey.StartedAt)
        {
            return;
        }
        journey.Count(OneConversion, facts);
        Set(state, key, journey with { Converted = true });
    }

    // Every change of a journey marks the journeys section, which a commit then writes (StateSections.MarksChanges).
    private static void Set(CustomerState state, string key, Journey journey)
    {
        state.Journeys[key] = journey;
        state.MarkChanged(StateSections.Journeys);
    }
}

/// <summary>Where KPI facts go (a task's counts until its commit, a list in a test).</summary>
public interface IKpiFacts
{
    /// <summary>Counts <paramref name="fact"/>.</summary>
    void Add(KpiFact fact);
}
