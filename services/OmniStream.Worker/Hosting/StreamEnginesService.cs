using Microsoft.Extensions.Hosting;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.Tasks;
using OmniStream.Streaming.Topics;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Hosting;

/// <summary>
/// Creates the worker's internal topics when missing, then runs every stage's engine on a thread
/// of its own for the life of the host, and the instance directory that store queries read. An
/// engine that fails stops the host.
/// </summary>
public sealed class StreamEnginesService(IEnumerable<StreamEngine> engines, InstanceDirectory directory, ITopicAdmin topics, StreamOptions options) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await topics.ApplyAsync(WorkerTopology.InternalTopics(options.ApplicationId), stoppingToken).ConfigureAwait(false);
        var reading = directory.RunAsync(stoppingToken);
        await Task.WhenAll(engines.Select(engine =>
            Task.Factory.StartNew(() => engine.RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()))
            .ConfigureAwait(false);
        await reading.ConfigureAwait(false);
    }
}
