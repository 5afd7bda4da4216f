using System.Text;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Hosting;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Streaming.Hosting;
using OmniStream.Testing;
using OmniStream.Testing.Http;

namespace OmniStream.Gateway.Tests;

/// <summary>A real gateway on the test cluster, with its own consumer group, and a producer of actions as the worker would write them.</summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    public const string Secret = "test-secret-0123456789";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);
    private readonly WebApplication _app;
    private readonly IProducer<string, byte[]> _producer;

    private GatewayHarness(WebApplication app, string url)
    {
        _app = app;
        Url = new Uri(url);
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build();
    }

    public Uri Url { get; }

    /// <summary>The gateway's services (endpoints, options).</summary>
    public IServiceProvider Services => _app.Services;

    public HttpClient Http
    {
        get
        {
            var http = TestCredentials.AdminClient(Url);
            http.Timeout = Timeout.InfiniteTimeSpan;
            return http;
        }
    }

    public static readonly AvroSerde<NextBestAction> Actions = new(SchemaCatalog.Default);

    /// <summary>A gateway pushing the actions of each channel in <paramref name="webhooks"/> to its URL; returns once it reads the actions topics.</summary>
    public static Task<GatewayHarness> StartAsync(params (Channel Channel, string Url)[] webhooks) => StartAsync(new Dictionary<string, string?>(), webhooks);

    /// <summary>A gateway with <paramref name="overrides"/> of its settings, pushing the actions of each channel in <paramref name="webhooks"/> to its URL.</summary>
    public static async Task<GatewayHarness> StartAsync(IReadOnlyDictionary<string, string?> overrides, params (Channel Channel, string Url)[] webhooks)
    {
        var url = LoopbackPort.FreeUrl();
        var settings = new Dictionary<string, string?>
        {
            ["OmniStream:Kafka:BootstrapServers"] = KafkaFixture.Cluster.BootstrapServers,
            ["OmniStream:Gateway:Url"] = url,
            ["OmniStream:Gateway:GroupId"] = "gateway-test-" + Guid.NewGuid().ToString("N")[..8],
            ["OmniStream:Gateway:DeliveryAttempts"] = "3",
            ["OmniStream:Gateway:RetryDelay"] = "00:00:00.010",
            // Longer than any test waits: a webhook call that hangs is not cut short under a test.
            ["OmniStream:Gateway:WebhookTimeout"] = "00:01:00",
        };
        foreach (var (key, value) in TestCredentials.Settings)
        {
            settings[key] = value;
        }
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        for (var i = 0; i < webhooks.Length; i++)
        {
            settings[$"OmniStream:Gateway:Webhooks:{i}:Channel"] = webhooks[i].Channel.ToString();
            settings[$"OmniStream:Gateway:Webhooks:{i}:Url"] = webhooks[i].Url;
            settings[$"OmniStream:Gateway:Webhooks:{i}:Secret"] = Secret;
        }
        var app = GatewayApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        var harness = new GatewayHarness(app, url);
        using var http = harness.Http;
        await Wait.UntilAsync(async () => (await http.GetAsync("/health")).IsSuccessStatusCode, StartDeadline, "the gateway reading the actions topics");
        return harness;
    }

    /// <summary>POSTs <paramref name="json"/> to <paramref name="path"/> with every permission; returns the status and the body of the answer.</summary>
    public async Task<(System.Net.HttpStatusCode Status, string Body)> PostJsonAsync(string path, string json)
    {
        using var http = Http;
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Writes <paramref name="action"/> to its channel's actions topic, as the worker does; returns the record's value.</summary>
    public async Task<byte[]> PublishAsync(NextBestAction action)
    {
        var topic = TopicCatalog.Actions(action.channel).Name;
        var value = await Actions.SerializeAsync(action, topic);
        await _producer.ProduceAsync(topic, new Message<string, byte[]> { Key = action.customerId, Value = value });
        return value;
    }

    /// <summary>An action for <paramref name="customerId"/> on <paramref name="channel"/>.</summary>
    public static NextBestAction Action(string customerId, Channel channel, ActionType type = ActionType.OFFER) => new()
    {
        actionId = Guid.NewGuid(),
        customerId = customerId,
        channel = channel,
        actionType = type,
        contentRef = "retention-discount/v2",
        parameters = new Dictionary<string, string> { ["offer"] = "COMEBACK15" },
        score = 2.5,
        reasonCodes = ["AT_RISK", "PREFERRED_CHANNEL", "BEST_SCORE"],
        rulesFired = ["moment at_risk: on segment_entered:at_risk"],
        experiment = new ExperimentAssignment { experimentId = "retention-2026", variant = "challenger" },
        triggeredAt = DateTime.UtcNow,
        decidedAt = DateTime.UtcNow,
        expiresAt = DateTime.UtcNow.AddDays(7),
    };

    public async ValueTask DisposeAsync()
    {
        _producer.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
