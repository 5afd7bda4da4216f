using OmniStream.Channels.Publishing;
using OmniStream.Kafka;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;

namespace OmniStream.Deployment.Tests;

/// <summary>Channel traffic for pages to show while they are read: bursts of survey answers from many customers, so lag rises and falls.</summary>
internal static class SurveyTraffic
{
    /// <summary>
    /// Publishes <paramref name="burst"/> answers every half second, from customers named after <paramref name="prefix"/>, until
    /// <paramref name="stop"/>. Every worker application on the test cluster reads the channels' topics: keep bursts small.
    /// </summary>
    public static async Task PublishAsync(string prefix, CancellationToken stop, int burst = 300)
    {
        using var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = ClusterFixture.Cluster.BootstrapServers },
            new AvroSerde<InteractionEvent>(SchemaCatalog.Default));
        var round = 0;
        var channels = new[] { Channel.WEB, Channel.EMAIL, Channel.MOBILE_APP };
        while (!stop.IsCancellationRequested)
        {
            await Task.WhenAll(Enumerable.Range(0, burst).Select(i =>
                publisher.PublishAsync(new Interactions($"{prefix}-{round}-{i}", DateTime.UtcNow).SurveyAnswered(channels[i % channels.Length], nps: i % 11, ces: i % 7 + 1))));
            round++;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
