using System.CommandLine;
using OmniStream.Channels.Topics;
using OmniStream.Streaming.Processing;
using OmniStream.Worker.Topology;
using OmniStream.Kafka;

namespace OmniStream.Cli.Commands;

/// <summary>The topics a deployment needs: the catalog's, and the internal topics of each worker application id.</summary>
internal static class ApplicationTopics
{
    /// <summary>The repeatable --application-id option, defaulting to the worker's default application id.</summary>
    public static Option<string[]> Option() => new("--application-id")
    {
        Description = $"Also create the internal topics of the workers with this application id (repeatable; default: {new StreamOptions().ApplicationId})",
        DefaultValueFactory = _ => [new StreamOptions().ApplicationId],
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The --partitions option: the partitions of the applications' internal topics.</summary>
    public static Option<int> PartitionsOption() => new("--partitions")
    {
        Description = $"Partitions of the applications' topics between stages and of their changelogs (default {WorkerTopology.Partitions}; the workers' OmniStream:Stream:Partitions must say the same)",
        DefaultValueFactory = _ => WorkerTopology.Partitions,
    };

    /// <summary>The catalog's topics, then the internal topics of every application id, with <paramref name="partitions"/> partitions.</summary>
    public static IReadOnlyList<TopicSpec> For(IEnumerable<string> applicationIds, int partitions = WorkerTopology.Partitions) =>
        [.. TopicCatalog.All, .. applicationIds.Distinct().SelectMany(app => WorkerTopology.InternalTopics(app, partitions))];
}
