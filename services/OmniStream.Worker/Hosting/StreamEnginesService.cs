using OmniStream.Kafka.Operations;
using Microsoft.Extensions.Hosting;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.Tasks;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Hosting;

/// <summary>
/// Creates the worker's internal topics when missing (or stops, naming them, when the brokers
/// cannot, or when they have another partition count than <see cref="StreamOptions.Partitions"/>), then runs every stage's engine on a thread of its own for the life of the host, and
/// the instance directory that store queries read. A stage that fails stops the others (each
/// commits and closes its tasks) and then the host, which exits non-zero so that the orchestrator
/// restarts the instance: its tasks resume from their last commit. An instance never runs on
/// with a stage missing.
/// </summary>
public sealed class StreamEnginesService(IEnumerable<StreamEngine> engines, InstanceDirectory directory, ITopicAdmin topics, StreamOptions options) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var report = await topics.ApplyAsync(WorkerTopology.InternalTopics(options.ApplicationId, options.Partitions), stoppingToken).ConfigureAwait(false);
        if (report.Select(topic => topic.Difference).OfType<string>().ToList() is { Count: > 0 } differ)
        {
            throw new TopicsDifferException(differ, $"an application keeps the partitions it was created with: set OmniStream:Stream:Partitions to match, "
                + $"or move {options.ApplicationId}'s state to a new application id with more (omnistream migrate)");
        }
        var parts = engines
            .Select(engine => (engine.Stage, (Func<CancellationToken, Task>)engine.RunAsync))
            .Append(("instance directory", directory.RunAsync));
        await StopTogether.RunAsync(parts, stoppingToken, (part, error) => new StageFailedException(part, error)).ConfigureAwait(false);
    }
}
