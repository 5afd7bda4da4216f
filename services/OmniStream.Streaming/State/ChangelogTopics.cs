using Confluent.Kafka;
using OmniStream.Kafka;

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

    /// <summary>
    /// Throws naming the first input topic missing, or changelog missing or not co-partitioned with
    /// the inputs (as many partitions as the largest input topic).
    /// </summary>
    public static void ThrowIfMissing(IAdminClient admin, IReadOnlyList<string> inputTopics, IReadOnlyList<TopicSpec> changelogs, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(inputTopics);
        var partitions = admin.GetMetadata(timeout).Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, t => t.Partitions.Count);
        if (inputTopics.FirstOrDefault(topic => !partitions.ContainsKey(topic)) is { } missing)
        {
            throw new InvalidOperationException($"input topic '{missing}' does not exist");
        }
        var inputPartitions = inputTopics.Max(topic => partitions[topic]);
        foreach (var changelog in changelogs)
        {
            if (!partitions.TryGetValue(changelog.Name, out var count))
            {
                throw new InvalidOperationException($"changelog topic '{changelog.Name}' does not exist: create it compacted with {inputPartitions} partitions (omnistream topics apply)");
            }
            if (count != inputPartitions)
            {
                throw new InvalidOperationException($"changelog topic '{changelog.Name}' has {count} partitions but its input has {inputPartitions}: they must match");
            }
        }
    }
}
