using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniStream.Channels.Subscribing;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Hosting;
using OmniStream.Gateway.Telemetry;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Kafka;

namespace OmniStream.Gateway.Delivery;

/// <summary>
/// Pushes every action of the channels that have a webhook, at least once (the offset is committed
/// after the push). Each channel has its own consumer group (<c>&lt;GroupId&gt;-&lt;channel&gt;</c>),
/// shared by the gateway instances, so a slow or failing webhook holds back only its own channel.
/// An action its webhook does not take after the last try goes to <c>omni.deadletter</c>, its record
/// untouched, with the reason; while the webhook's circuit is open the action waits in its topic
/// (<see cref="RetryLaterException"/>), and the age of the oldest action not taken is a metric.
/// </summary>
public sealed partial class WebhookPusher(
    KafkaOptions kafka, GatewayOptions options, AvroSerde<NextBestAction> serde, WebhookSender sender, TimeProvider time,
    GatewayMetrics metrics, ILoggerFactory loggers, ILogger<WebhookPusher> logger) : BackgroundService
{
    private const string Application = "omnistream-gateway";

    /// <summary>The consumer group that pushes <paramref name="channel"/>'s actions.</summary>
    public static string GroupOf(string groupId, Channel channel) => $"{groupId}-{TopicCatalog.Slug(channel)}";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var targets = options.Webhooks.GroupBy(w => w.Channel).Select(g => g.Last()).ToList();
        if (targets.Count == 0)
        {
            return;
        }
        using var deadLetters = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(kafka, Application + "-dead-letters")).Build();
        await Task.WhenAll(targets.Select(target => PushAsync(target, deadLetters, stoppingToken))).ConfigureAwait(false);
    }

    private Task PushAsync(WebhookTarget target, IProducer<byte[], byte[]> deadLetters, CancellationToken stoppingToken)
    {
        var subscriber = new ActionSubscriber(kafka, new ActionSubscriberOptions { GroupId = GroupOf(options.GroupId, target.Channel), Channels = [target.Channel] },
            serde, loggers.CreateLogger<ActionSubscriber>());
        return subscriber.RunAsync(async (action, record, ct) =>
        {
            metrics.Undelivered(action.channel, record.Message.Timestamp.UtcDateTime);
            try
            {
                var attempts = await sender.DeliverAsync(target, action, ct).ConfigureAwait(false);
                metrics.Delivered(action.channel, attempts);
                LogDelivered(action.actionId, action.channel, attempts);
            }
            catch (WebhookDeliveryException e)
            {
                var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(record.Message.Key ?? ""), Value = record.Message.Value, Headers = record.Message.Headers };
                await deadLetters.ProduceAsync(TopicCatalog.DeadLetter.Name,
                    DeadLetter.Of(record.TopicPartitionOffset, message, e, Application, time.GetUtcNow().UtcDateTime), ct).ConfigureAwait(false);
                metrics.DeadLettered(action.channel);
                LogDeadLettered(action.actionId, action.channel, e.Message);
            }
        }, stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Action {ActionId} pushed to the {Channel} webhook in {Attempts} attempt(s)")]
    private partial void LogDelivered(Guid actionId, Channel channel, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {ActionId} for {Channel} set aside on the dead-letter topic: {Reason}")]
    private partial void LogDeadLettered(Guid actionId, Channel channel, string reason);
}
