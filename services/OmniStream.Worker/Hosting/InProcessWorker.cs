using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.Processing;

namespace OmniStream.Worker.Hosting;

/// <summary>Runs a worker inside another process (the demo, tests), configured from a dictionary.</summary>
public static class InProcessWorker
{
    private static readonly TimeSpan JoinPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Starts a worker and returns once it owns input partitions, so that events published next
    /// are read as they arrive. Throws <see cref="TimeoutException"/> when it has not joined in time.
    /// </summary>
    public static async Task<IHost> StartAsync(
        IDictionary<string, string?> settings,
        TimeSpan joinTimeout,
        Action<ILoggingBuilder>? logging = null,
        CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        logging?.Invoke(builder.Logging);
        builder.AddOmniStreamWorker();
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);

        var loop = host.Services.GetRequiredService<StreamLoop>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(joinTimeout);
        try
        {
            while (loop.AssignedPartitions == 0)
            {
                await Task.Delay(JoinPoll, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            host.Dispose();
            throw new TimeoutException($"the worker did not join its consumer group within {joinTimeout.TotalSeconds:0.#} s");
        }
        return host;
    }
}
