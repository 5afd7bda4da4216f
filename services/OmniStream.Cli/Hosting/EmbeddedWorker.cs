using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniStream.DevCluster;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Streaming.Processing;
using OmniStream.Worker.Hosting;

namespace OmniStream.Cli.Hosting;

/// <summary>The worker inside the demo's or the benchmark's process, on their embedded cluster; it logs warnings and errors only.</summary>
internal static class EmbeddedWorker
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Starts the worker with the policies of <paramref name="policyFile"/> (and the segments of
    /// <paramref name="segmentFile"/>, else the shipped ones), its API accepting bearer tokens signed
    /// with <paramref name="credentials"/>' key, each stage on <paramref name="threads"/> threads (or as <paramref name="stageThreads"/> says for a stage), and
    /// returns once its stages own partitions.
    /// </summary>
    public static Task<IHost> StartAsync(DevKafkaCluster cluster, string applicationId, string stateDirectory, string policyFile,
        ProcessingGuarantee guarantee, DevelopmentCredentials credentials, CancellationToken stop, string? segmentFile = null, int threads = 1,
        IReadOnlyDictionary<string, int>? stageThreads = null) =>
        InProcessWorker.StartAsync(new Dictionary<string, string?>
        {
            ["OmniStream:Auth:Jwt:SigningKey"] = credentials.SigningKey,
            // The only instance: any key will do; set, so that it does not warn of a missing one.
            ["OmniStream:Peers:Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["OmniStream:Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = applicationId,
            ["OmniStream:Stream:StateDirectory"] = stateDirectory,
            ["OmniStream:Stream:Guarantee"] = guarantee.ToString(),
            ["OmniStream:Stream:Threads"] = threads.ToString(CultureInfo.InvariantCulture),
            ["OmniStream:Policies:File"] = policyFile,
            ["OmniStream:Segments:File"] = segmentFile ?? Path.Combine(AppContext.BaseDirectory, "segments.yaml"),
        }.Concat((stageThreads ?? new Dictionary<string, int>()).Select(s => KeyValuePair.Create(
            $"OmniStream:Stream:StageThreads:{s.Key}", (string?)s.Value.ToString(CultureInfo.InvariantCulture)))).ToDictionary(), JoinTimeout, logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning),
            new DevClusterTopicAdmin(cluster), stop);
}
