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
/// cannot), then runs every stage's engine on a thread of its own for the life of the host, and
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
        await topics.ApplyAsync(WorkerTopology.InternalTopics(options.ApplicationId), stoppingToken).ConfigureAwait(false);
        var parts = engines
            .Select(engine => (engine.Stage, (Func<CancellationToken, Task>)engine.RunAsync))
            .Append(("instance directory", directory.RunAsync));
        await StopTogether.RunAsync(parts, stoppingToken, (part, error) => new StageFailedException(part, error)).ConfigureAwait(false);
    }
}
