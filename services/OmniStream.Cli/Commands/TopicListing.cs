using System.Text;
using System.Text.Json;
using OmniStream.Kafka;

namespace OmniStream.Cli.Commands;

/// <summary>
/// The topics a deployment needs, written for people (a Markdown table) or for infrastructure as code: one JSON
/// object per line, or Strimzi <c>KafkaTopic</c> manifests for a Kafka cluster run by the Strimzi operator.
/// </summary>
internal static class TopicListing
{
    /// <summary>The formats of <c>topics list --format</c>.</summary>
    public static readonly string[] Formats = ["markdown", "json", "strimzi"];

    /// <summary><paramref name="topics"/> in <paramref name="format"/>; Strimzi manifests name <paramref name="cluster"/> and <paramref name="replicas"/>.</summary>
    public static string Write(IReadOnlyList<TopicSpec> topics, string format, string cluster, short replicas) => format switch
    {
        "json" => string.Concat(topics.Select(t => JsonSerializer.Serialize(new
        {
            name = t.Name,
            partitions = t.Partitions,
            config = t.Config,
            purpose = t.Purpose,
        }, CliJson.Options) + "\n")),
        "strimzi" => string.Join("---\n", topics.Select(t => Strimzi(t, cluster, replicas))),
        _ => Markdown(topics),
    };

    private static string Markdown(IReadOnlyList<TopicSpec> topics)
    {
        var text = new StringBuilder("| topic | partitions | cleanup | retention | carries |\n|---|---|---|---|---|\n");
        foreach (var topic in topics)
        {
            var retention = topic.Retention is { } r ? $"{r.TotalDays:0} days" : "forever";
            text.Append($"| `{topic.Name}` | {topic.Partitions} | {(topic.Compacted ? "compact" : "delete")} | {retention} | {topic.Purpose} |\n");
        }
        return text.ToString();
    }

    // Names with dots and hyphens are valid resource names; every value is quoted, so none is read as a number.
    private static string Strimzi(TopicSpec topic, string cluster, short replicas)
    {
        var text = new StringBuilder();
        text.Append("apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n");
        text.Append($"  name: {topic.Name}\n  labels:\n    strimzi.io/cluster: {cluster}\n");
        text.Append($"spec:\n  topicName: {topic.Name}\n  partitions: {topic.Partitions}\n  replicas: {replicas}\n  config:\n");
        foreach (var (key, value) in topic.Config)
        {
            text.Append($"    {key}: \"{value}\"\n");
        }
        return text.ToString();
    }
}
