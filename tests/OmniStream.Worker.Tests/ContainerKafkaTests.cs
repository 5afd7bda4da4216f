using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Worker.Tests;

/// <summary>Needs a Docker engine: the SDK against Apache Kafka in a container (Testcontainers).</summary>
public class ContainerKafkaTests
{
    [Test]
    public async Task An_interaction_published_to_a_containerized_Kafka_reads_back_intact()
    {
        var (container, reason) = await KafkaTestClusters.TryStartContainerAsync();
        if (container is null)
        {
            Assert.Ignore(reason!);
        }
        await using var _ = container;
        var bootstrap = container!.GetBootstrapAddress();
        var topic = TopicCatalog.Interactions(Channel.STORE);
        await new Kafka.Operations.Topics.KafkaTopicAdmin(new KafkaOptions { BootstrapServers = bootstrap }).ApplyAsync([topic]);
        var serde = new AvroSerde<InteractionEvent>(SchemaCatalog.Default);
        var visit = new Interactions("anna", DateTime.UtcNow).StoreVisited();

        using (var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = bootstrap }, serde))
        {
            await publisher.PublishAsync(visit);
        }
        using var reader = new TopicReader(bootstrap, [topic.Name]);
        var records = await reader.ReadUntilAsync(r => r.Count > 0, TimeSpan.FromSeconds(60), "the published interaction");

        Assert.That((await serde.DeserializeAsync(records[0].Message.Value)).eventId, Is.EqualTo(visit.eventId));
    }
}
