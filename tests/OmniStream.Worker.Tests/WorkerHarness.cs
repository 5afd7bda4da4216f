using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniStream.Channels.Publishing;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.State;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Http;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Logging;
using OmniStream.Worker.Api;
using OmniStream.Worker.Definitions;
using OmniStream.Worker.Hosting;
using OmniStream.Kafka;

namespace OmniStream.Worker.Tests;

/// <summary>A real worker host in a consumer group of its own, and a channel publisher, on the test cluster.</summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string? _stateDirectory;

    private WorkerHarness(IHost host, ChannelPublisher publisher, string applicationId, string? stateDirectory)
    {
        _host = host;
        Publisher = publisher;
        ApplicationId = applicationId;
        _stateDirectory = stateDirectory;
    }

    public ChannelPublisher Publisher { get; }

    /// <summary>The worker's services (store queries, engines).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The worker's HTTP API.</summary>
    public CustomerApiClient Api => new(new Uri(_host.Services.GetRequiredService<ApiOptions>().Url));

    /// <summary>The worker's application id, which names its internal topics.</summary>
    public string ApplicationId { get; }

    public static readonly AvroSerde<NextBestAction> Actions = new(SchemaCatalog.Default);

    /// <summary>
    /// A worker on the assembly's cluster, with a fresh application id and state directory, running
    /// the shipped policies (changed by <paramref name="editPolicies"/>, if given).
    /// </summary>
    public static Task<WorkerHarness> StartAsync(TimeSpan cartIdleTime, Func<string, string>? editPolicies = null) =>
        StartAsync(cartIdleTime, KafkaFixture.Cluster, "worker-test-" + Guid.NewGuid().ToString("N")[..8],
            Path.Combine(Path.GetTempPath(), "omnistream-worker-test-" + Guid.NewGuid().ToString("N")), editPolicies: editPolicies);

    /// <summary>A worker on <paramref name="cluster"/>, with <paramref name="settings"/> on top; its state directory is wiped on dispose unless <paramref name="keepState"/>.</summary>
    public static async Task<WorkerHarness> StartAsync(TimeSpan cartIdleTime, IKafkaTestCluster cluster, string applicationId, string stateDirectory,
        Action<ILoggingBuilder>? logging = null, bool keepState = false, Func<string, string>? editPolicies = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var policies = ShippedPolicies.WriteWithCartIdle(Path.Combine(stateDirectory, "policies"), cartIdleTime);
        if (editPolicies is not null)
        {
            File.WriteAllText(policies, editPolicies(File.ReadAllText(policies)));
        }
        // Joined before the test publishes: events sent earlier would all be overdue at once.
        var all = new Dictionary<string, string?>
        {
            ["OmniStream:Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["OmniStream:Stream:ApplicationId"] = applicationId,
            ["OmniStream:Stream:StateDirectory"] = stateDirectory,
            ["OmniStream:Policies:File"] = policies,
        };
        foreach (var (key, value) in TestCredentials.Settings.Concat(settings ?? new Dictionary<string, string>()))
        {
            all[key] = value;
        }
        var host = await InProcessWorker.StartAsync(all, joinTimeout: TimeSpan.FromSeconds(30), logging, cluster.TopicAdmin);
        var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = cluster.BootstrapServers }, new AvroSerde<InteractionEvent>(SchemaCatalog.Default));
        return new WorkerHarness(host, publisher, applicationId, keepState ? null : stateDirectory);
    }

    /// <summary>
    /// A worker on the assembly's cluster for a fixture named <paramref name="name"/>, its logs captured by <paramref name="logs"/>,
    /// and a customer it has seen once on the web, whose view it answers.
    /// </summary>
    public static async Task<(WorkerHarness Worker, string Customer)> StartWithCustomerAsync(string name, CapturedLogs logs)
    {
        var worker = await StartAsync(TimeSpan.FromMinutes(30), KafkaFixture.Cluster, $"{name}-{Guid.NewGuid().ToString("N")[..8]}",
            Path.Combine(Path.GetTempPath(), $"omnistream-{name}-{Guid.NewGuid():N}"), logging => logging.AddProvider(logs));
        var customer = Unique(name);
        await worker.Publisher.PublishAsync(new Interactions(customer).PageViewed(Channel.WEB));
        await worker.Api.ViewWhenAsync(customer, _ => true, TimeSpan.FromSeconds(30), "the customer's view");
        return (worker, customer);
    }

    /// <summary>A customer id no other test uses: the name and 8 random hex digits.</summary>
    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    /// <summary>
    /// Publishes <paramref name="customer"/>'s marketing consent for the web, the app and email, as
    /// events of channel <paramref name="on"/>: events of one channel reach the worker in order, so a
    /// later event of that channel is decided with the consent known.
    /// </summary>
    public async Task GrantMarketingAsync(Interactions customer, Channel on = Channel.WEB)
    {
        foreach (var channel in new[] { Channel.WEB, Channel.MOBILE_APP, Channel.EMAIL })
        {
            await Publisher.PublishAsync(customer.ConsentChanged(on, Purpose.MARKETING, channel, granted: true));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Publisher.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        if (_stateDirectory is not null)
        {
            RocksDbStore.Wipe(_stateDirectory);
        }
    }
}
