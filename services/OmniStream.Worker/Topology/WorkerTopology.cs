using OmniStream.Channels.Topics;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.Tasks;
using OmniStream.Streaming.Topics;

namespace OmniStream.Worker.Topology;

/// <summary>
/// The worker's stages and internal topics. Stage <c>identity</c> reads every interactions topic
/// and re-keys each event by its subject into <c>&lt;app&gt;-identity-repartition</c>; stage
/// <c>journeys</c> reads that topic, so that all events of one subject reach the task owning its
/// state, whatever channel topic and partition they came from.
/// </summary>
public static class WorkerTopology
{
    /// <summary>The stage that re-keys interactions by subject.</summary>
    public const string IdentityStage = "identity";

    /// <summary>The stage that keeps journeys and decides.</summary>
    public const string JourneysStage = "journeys";

    /// <summary>The store of journeys, by subject key.</summary>
    public const string JourneysStore = "journeys";

    /// <summary>The store of pending decision timers, by subject key.</summary>
    public const string TimersStore = "journey-timers";

    /// <summary>Partitions of the repartition topic and of the journeys stage's changelogs.</summary>
    public const int Partitions = TopicCatalog.DefaultPartitions;

    /// <summary>The topic between the two stages: interactions keyed by subject.</summary>
    public static string RepartitionTopic(string applicationId) => $"{applicationId}-{IdentityStage}-repartition";

    /// <summary>Every internal topic of the application: the repartition topic and the changelog of every store.</summary>
    public static IReadOnlyList<TopicSpec> InternalTopics(string applicationId) =>
    [
        new(RepartitionTopic(applicationId), Partitions, Compacted: false, TimeSpan.FromDays(1),
            $"interactions keyed by subject, between the stages of {applicationId}"),
        .. ChangelogTopics.Specs(applicationId,
            [StreamEngine.PositionsStore(IdentityStage), JourneysStore, TimersStore, StreamEngine.PositionsStore(JourneysStage)], Partitions),
        InstanceDirectory.Spec(applicationId),
    ];
}
