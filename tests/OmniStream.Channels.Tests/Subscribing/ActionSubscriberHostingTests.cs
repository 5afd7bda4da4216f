using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OmniStream.Channels.Subscribing;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing;
using OmniStream.Testing.Kafka;

namespace OmniStream.Channels.Tests.Subscribing;

/// <summary>A channel backend's host receiving its actions through the hosted subscriber, on a real cluster.</summary>
public class ActionSubscriberHostingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_hosted_subscriber_hands_its_channels_actions_to_the_backends_handler()
    {
        await using var cluster = await KafkaTestClusters.StartAsync();
        await cluster.TopicAdmin.ApplyAsync(TopicCatalog.All);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OmniStream:Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["OmniStream:Actions:GroupId"] = "web-backend",
            ["OmniStream:Actions:Channels:0"] = "WEB",
        });
        builder.Services.AddActionSubscriber<RecordingHandler>();
        using var host = builder.Build();
        await host.StartAsync();
        var serde = new AvroSerde<NextBestAction>(SchemaCatalog.Default);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var web = Action(Channel.WEB);
        var app = Action(Channel.MOBILE_APP);

        foreach (var action in new[] { app, web })
        {
            var topic = TopicCatalog.Actions(action.channel).Name;
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = action.customerId, Value = await serde.SerializeAsync(action, topic) });
        }
        var received = ((RecordingHandler)host.Services.GetRequiredService<IActionHandler>()).Received;
        await Wait.UntilAsync(() => !received.IsEmpty, Deadline, "the web action at the handler");
        await host.StopAsync();

        Assert.That(received.Select(a => a.actionId), Is.EqualTo(new[] { web.actionId }), "the web backend gets the web action only");
    }

    [Test]
    public async Task A_subscriber_without_channels_is_refused_at_start_naming_the_setting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OmniStream:Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["OmniStream:Actions:GroupId"] = "web-backend",
        });
        builder.Services.AddActionSubscriber<RecordingHandler>();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("OmniStream:Actions:Channels"));
    }

    private static NextBestAction Action(Channel channel) => new()
    {
        actionId = Guid.NewGuid(),
        customerId = "c-" + Guid.NewGuid().ToString("N")[..8],
        channel = channel,
        actionType = ActionType.CART_REMINDER,
        contentRef = "cart-reminder/v1",
        parameters = new Dictionary<string, string>(),
        reasonCodes = ["CART_IDLE"],
        rulesFired = [],
        triggeredAt = DateTime.UtcNow,
        decidedAt = DateTime.UtcNow,
        expiresAt = DateTime.UtcNow.AddDays(1),
    };

    private sealed class RecordingHandler : IActionHandler
    {
        public ConcurrentQueue<NextBestAction> Received { get; } = new();

        public ValueTask HandleAsync(NextBestAction action, CancellationToken cancellationToken)
        {
            Received.Enqueue(action);
            return ValueTask.CompletedTask;
        }
    }
}
