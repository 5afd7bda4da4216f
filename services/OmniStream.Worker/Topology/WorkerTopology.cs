using OmniStream.Channels.Topics;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Kafka;

namespace OmniStream.Worker.Topology;

/// <summary>
/// The worker's stages and internal topics. <c>ingest</c> reads every interactions topic and
/// re-keys each event by the id identity resolution looks up (the anonymous id of an
/// <c>Identified</c> event, else the subject) into <c>&lt;app&gt;-ingest-repartition</c>;
/// <c>identity</c> keeps the links of anonymous and device ids to customers and re-keys each event
/// by the customer it belongs to into <c>&lt;app&gt;-identity-repartition</c>; <c>customers</c>
/// reads that topic and keeps each customer's state, so that all of a customer's events reach the
/// task owning their state, whatever channel, id, topic and partition they came from. It sends the
/// KPI counts of each commit, keyed by window and scope, into <c>&lt;app&gt;-customers-repartition</c>,
/// which stage <c>kpis</c> sums up.
/// </summary>
public static class WorkerTopology
{
    /// <summary>The stage that re-keys interactions by the id to resolve.</summary>
    public const string IngestStage = "ingest";

    /// <summary>The stage that resolves identity.</summary>
    public const string IdentityStage = "identity";

    /// <summary>The stage that keeps customers' state and decides.</summary>
    public const string CustomersStage = "customers";

    /// <summary>The store of identity links, by anonymous or device id.</summary>
    public const string LinksStore = "id-links";

    /// <summary>The stage that sums KPI counts per window and scope.</summary>
    public const string KpisStage = "kpis";

    /// <summary>The store of customers' current journeys (for KPIs), by customer id.</summary>
    public const string JourneysStore = "journeys";

    /// <summary>The store of KPI counts, by window and scope (<c>KpiCell</c>).</summary>
    public const string KpisStore = "kpis";

    /// <summary>The store of customer states, by customer id.</summary>
    public const string CustomersStore = "customers";

    /// <summary>The store of pending decision timers, by customer id.</summary>
    public const string TimersStore = "customer-timers";

    /// <summary>The store of learning counts (actions sent and converted), by arm (action and learning segment).</summary>
    public const string ActionStatsStore = "action-stats";

    /// <summary>Partitions of the repartition topics and of the changelogs unless the deployment says otherwise (<c>OmniStream:Stream:Partitions</c>).</summary>
    public const int Partitions = TopicCatalog.DefaultPartitions;

    /// <summary>The stages after <c>ingest</c>, whose inputs and stores have the application's partition count.</summary>
    public static IReadOnlyList<string> RepartitionedStages { get; } = [IdentityStage, CustomersStage, KpisStage];

    /// <summary>The stores of each stage after <c>ingest</c> (the positions store aside).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> StageStores { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [IdentityStage] = [LinksStore],
        [CustomersStage] = [CustomersStore, TimersStore, JourneysStore, ActionStatsStore],
        [KpisStage] = [KpisStore],
    };

    /// <summary>The topic a stage writes for the next one.</summary>
    public static string RepartitionTopic(string applicationId, string stage) => $"{applicationId}-{stage}-repartition";

    /// <summary>The input of stage <c>identity</c>: interactions keyed by the id to resolve.</summary>
    public static string IdentityInput(string applicationId) => RepartitionTopic(applicationId, IngestStage);

    /// <summary>The input of stage <c>customers</c>: interactions keyed by customer.</summary>
    public static string CustomersInput(string applicationId) => RepartitionTopic(applicationId, IdentityStage);

    /// <summary>The input of stage <c>kpis</c>: KPI counts keyed by window and scope.</summary>
    public static string KpisInput(string applicationId) => RepartitionTopic(applicationId, CustomersStage);

    /// <summary>What stage <c>ingest</c> reads: every channel's interactions, the privacy API's erasure requests, the outcomes channels report.</summary>
    public static IReadOnlyList<string> IngestInputs { get; } =
        [.. TopicCatalog.AllInteractions.Select(t => t.Name), TopicCatalog.PrivacyRequests.Name, TopicCatalog.ActionOutcomes.Name];

    /// <summary>Each stage of the application, in order, with the topics it reads.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> StageInputs(string applicationId) => new Dictionary<string, IReadOnlyList<string>>
    {
        [IngestStage] = IngestInputs,
        [IdentityStage] = [IdentityInput(applicationId)],
        [CustomersStage] = [CustomersInput(applicationId)],
        [KpisStage] = [KpisInput(applicationId)],
    };

    /// <summary>
    /// Every internal topic of the application: the repartition topics and the changelogs of stages identity, customers and
    /// kpis with <paramref name="partitions"/> partitions; the changelog of stage ingest's positions with as many as the
    /// channels' topics it reads (<see cref="TopicCatalog.DefaultPartitions"/>); the instance directory.
    /// </summary>
    public static IReadOnlyList<TopicSpec> InternalTopics(string applicationId, int partitions = Partitions) =>
    [
        new(IdentityInput(applicationId), partitions, Compacted: false, TimeSpan.FromDays(1),
            $"interactions keyed by the id to resolve, between stages ingest and identity of {applicationId}"),
        new(CustomersInput(applicationId), partitions, Compacted: false, TimeSpan.FromDays(1),
            $"interactions keyed by customer, between stages identity and customers of {applicationId}"),
        new(KpisInput(applicationId), partitions, Compacted: false, TimeSpan.FromDays(1),
            $"KPI counts keyed by window and scope, between stages customers and kpis of {applicationId}"),
        .. ChangelogTopics.Specs(applicationId, [StreamEngine.PositionsStore(IngestStage)], TopicCatalog.DefaultPartitions),
        .. ChangelogTopics.Specs(applicationId,
            [.. RepartitionedStages.SelectMany(stage => StageStores[stage].Append(StreamEngine.PositionsStore(stage)))], partitions),
        InstanceDirectory.Spec(applicationId),
    ];
}
