using OmniStream.Customers.State;
using OmniStream.Decisions.Engine;
using OmniStream.Decisions.Learning;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;

namespace OmniStream.Decisions.Tests;

/// <summary>One customer whose events are folded and decided as the worker does, without Kafka.</summary>
internal sealed class DecidedCustomer(string customerId, PolicySet? policies = null)
{
    private static readonly CustomerFold Fold = new(new FoldOptions());
    private readonly DecisionEngine _engine = new(Fold);

    /// <summary>The policies users get: the worker's policies.yaml.</summary>
    public static PolicySet Shipped { get; } = PolicyFile.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies.yaml")), "policies.yaml");

    public Interactions Events { get; } = new(customerId);

    public CustomerState State { get; } = new(customerId);

    public PolicySet Policies { get; } = policies ?? Shipped;

    /// <summary>Learning counts by arm.</summary>
    public Dictionary<string, ArmStats> Stats { get; } = [];

    /// <summary>Actions sent so far.</summary>
    public List<NextBestAction> Sent { get; } = [];

    /// <summary>Folds the event and decides, at the event's time unless <paramref name="now"/> is given; segments entered are passed as such.</summary>
    public IReadOnlyList<Decision> Happens(InteractionEvent interaction, DateTime? now = null, params string[] entered)
    {
        Fold.Apply(State, interaction);
        State.Segments.UnionWith(entered);
        return Keep(_engine.OnChange(Policies, State, interaction, entered, now ?? interaction.occurredAt, Stat));
    }

    /// <summary>Decides what is due at <paramref name="now"/>.</summary>
    public IReadOnlyList<Decision> TimePasses(DateTime now, params string[] entered)
    {
        State.Segments.UnionWith(entered);
        return Keep(_engine.OnTime(Policies, State, entered, now, Stat));
    }

    /// <summary>Decides what is due at <paramref name="now"/> into <paramref name="into"/>, as a worker's task does.</summary>
    public IReadOnlyList<Decision> TimePasses(DateTime now, DecisionList into)
    {
        _engine.OnTime(Policies, State, [], now, Stat, into);
        return Keep(into.Decisions);
    }

    /// <summary>Grants marketing consent on every channel.</summary>
    public DecidedCustomer ConsentingEverywhere()
    {
        foreach (var channel in Enum.GetValues<Channel>())
        {
            Happens(Events.MarketingConsent(channel));
        }
        return this;
    }

    private ArmStats Stat(string arm) => Stats.GetValueOrDefault(arm, ArmStats.None);

    private IReadOnlyList<Decision> Keep(IReadOnlyList<Decision> decisions)
    {
        Sent.AddRange(decisions.Where(d => d.Action is not null).Select(d => d.Action!));
        return decisions;
    }
}
