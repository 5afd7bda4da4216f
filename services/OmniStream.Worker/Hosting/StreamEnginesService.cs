using Microsoft.Extensions.Hosting;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.Tasks;
using OmniStream.Streaming.Topics;
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
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var running = engines
            .Select(engine => StopAllOnFailureAsync(engine.Stage, () => Task.Factory.StartNew(() => engine.RunAsync(stopAll.Token), stopAll.Token,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap(), stopAll))
            .Append(StopAllOnFailureAsync("instance directory", () => directory.RunAsync(stopAll.Token), stopAll))
            .ToList();
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private static async Task StopAllOnFailureAsync(string part, Func<Task> run, CancellationTokenSource stopAll)
    {
        try
        {
            await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopAll.IsCancellationRequested)
        {
            // Stopping: nothing failed.
        }
        catch (Exception error)
        {
            await stopAll.CancelAsync().ConfigureAwait(false);
            throw new StageFailedException(part, error);
        }
    }
}
