using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.Hosting;
using OmniStream.Streaming.Tasks;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.Worker.Api;

namespace OmniStream.Worker.Hosting;

/// <summary>Runs a worker inside another process (the demo, tests), configured from a dictionary.</summary>
public static class InProcessWorker
{
    private static readonly TimeSpan JoinPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Starts a worker (its API on a free port of 127.0.0.1 unless <c>OmniStream:Api:Url</c> is set; see <see cref="ApiOptions"/>) and returns once every stage owns input partitions (on each of its threads that can own one), so that events published
    /// next are read as they arrive. <paramref name="topicAdmin"/> creates the internal topics (the
    /// embedded cluster needs its own). Throws <see cref="TimeoutException"/> when it has not joined in time.
    /// </summary>
    public static async Task<IHost> StartAsync(
        IDictionary<string, string?> settings,
        TimeSpan joinTimeout,
        Action<ILoggingBuilder>? logging = null,
        ITopicAdmin? topicAdmin = null,
        CancellationToken cancellationToken = default)
    {
        var configured = new Dictionary<string, string?>(settings);
        configured.TryAdd($"{ApiOptions.Section}:Url", LoopbackPort.FreeUrl());
        var host = WorkerApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configured);
            logging?.Invoke(builder.Logging);
            if (topicAdmin is not null)
            {
                builder.Services.AddSingleton(topicAdmin);
            }
        }, defaults: false);
        await host.StartAsync(cancellationToken).ConfigureAwait(false);

        var engines = host.Services.GetServices<StreamEngine>().ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(joinTimeout);
        try
        {
            while (engines.Any(engine => !engine.Joined))
            {
                await Task.Delay(JoinPoll, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await host.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"the worker did not join its consumer group within {joinTimeout.TotalSeconds:0.#} s");
        }
        return host;
    }
}
