using Microsoft.Extensions.Hosting;
using OmniStream.Streaming.Processing;

namespace OmniStream.Worker.Hosting;

/// <summary>Runs the blocking consume loop on its own thread for the life of the host.</summary>
public sealed class StreamLoopService(StreamLoop loop) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => loop.RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
}
