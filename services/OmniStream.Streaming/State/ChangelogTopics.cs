using Confluent.Kafka;
using OmniStream.Streaming.Topics;

namespace OmniStream.Streaming.State;

/// <summary>Names and specifications of the runtime's changelog topics.</summary>
public static class ChangelogTopics
{
    /// <summary>The compacted changelog of a store: <c>&lt;app&gt;-&lt;store&gt;-changelog</c>.</summary>
    public static string For(string applicationId, string storeName) => $"{applicationId}-{storeName}-changelog";

    /// <summary>The changelogs of <paramref name="storeNames"/>, compacted, one partition per input partition.</summary>
    public static IReadOnlyList<TopicSpec> Specs(string applicationId, IEnumerable<string> storeNames, int partitions) =>
        storeNames.Select(store => new TopicSpec(For(applicationId, store), partitions, Compacted: true, Retention: null,
            $"changelog of the {store} store of {applicationId}")).ToList();

    /// <summary>Throws naming the first changelog that is missing or not co-partitioned with <paramref name="inputTopic"/>.</summary>
    public static void ThrowIfMissing(IAdminClient admin, string inputTopic, IReadOnlyList<TopicSpec> changelogs, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var partitions = admin.GetMetadata(timeout).Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, t => t.Partitions.Count);
        if (!partitions.TryGetValue(inputTopic, out var inputPartitions))
        {
            throw new InvalidOperationException($"input topic '{inputTopic}' does not exist");
        }
        foreach (var changelog in changelogs)
        {
            if (!partitions.TryGetValue(changelog.Name, out var count))
            {
                throw new InvalidOperationException($"changelog topic '{changelog.Name}' does not exist: create it compacted with {inputPartitions} partitions (omnistream topics apply)");
            }
            if (count != inputPartitions)
            {
                throw new InvalidOperationException($"changelog topic '{changelog.Name}' has {count} partitions but input '{inputTopic}' has {inputPartitions}: they must match");
            }
        }
    }
}
