using Microsoft.Extensions.Hosting;
using OmniStream.Channels.Publishing;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Hosting;
using OmniStream.Streaming.State;
using OmniStream.Worker.Hosting;

namespace OmniStream.Worker.Tests;

/// <summary>A real worker host in a consumer group of its own, and a channel publisher, on the test cluster.</summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _stateDirectory;

    private WorkerHarness(IHost host, ChannelPublisher publisher, string stateDirectory)
    {
        _host = host;
        Publisher = publisher;
        _stateDirectory = stateDirectory;
    }

    public ChannelPublisher Publisher { get; }

    public static readonly AvroSerde<NextBestAction> Actions = new(SchemaCatalog.Default);

    public static async Task<WorkerHarness> StartAsync(TimeSpan cartIdleTime)
    {
        var state = Path.Combine(Path.GetTempPath(), "omnistream-worker-test-" + Guid.NewGuid().ToString("N"));
        // Joined before the test publishes: events sent earlier would all be overdue at once.
        var host = await InProcessWorker.StartAsync(new Dictionary<string, string?>
        {
            ["OmniStream:Kafka:BootstrapServers"] = KafkaFixture.Cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = "worker-test-" + Guid.NewGuid().ToString("N")[..8],
            ["OmniStream:Stream:StateDirectory"] = state,
            ["OmniStream:CartReminder:IdleTime"] = cartIdleTime.ToString(),
        }, joinTimeout: TimeSpan.FromSeconds(30), topicAdmin: KafkaFixture.Cluster.TopicAdmin);
        var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }, new AvroSerde<InteractionEvent>(SchemaCatalog.Default));
        return new WorkerHarness(host, publisher, state);
    }

    public async ValueTask DisposeAsync()
    {
        Publisher.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        RocksDbStore.Wipe(_stateDirectory);
    }
}
