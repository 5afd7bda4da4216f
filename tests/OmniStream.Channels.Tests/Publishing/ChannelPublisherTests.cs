using System.Diagnostics;
using System.Text;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Channels.Tracing;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Kafka;

namespace OmniStream.Channels.Tests.Publishing;

public class ChannelPublisherTests
{
    private readonly AvroSerde<InteractionEvent> _serde = new(SchemaCatalog.Default);
    private IKafkaTestCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _cluster = await KafkaTestClusters.StartAsync();
        await _cluster.CreateTopicAsync(TopicCatalog.Interactions(Channel.STORE).Name, 6);
    }

    [OneTimeTearDown]
    public async Task StopCluster() => await _cluster.DisposeAsync();

    [Test]
    public async Task An_event_goes_to_its_channel_topic_keyed_by_subject_with_its_trace_and_receipt_time()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TraceHeaders.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var visit = new Interactions("loyal-7", DateTime.UtcNow).StoreVisited();
        visit.eventId = Guid.Empty;
        var before = DateTime.UtcNow;

        using (var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = _cluster.BootstrapServers }, _serde))
        {
            await publisher.PublishAsync(visit);
        }
        using var reader = new TopicReader(_cluster.BootstrapServers, [TopicCatalog.Interactions(Channel.STORE).Name]);
        var record = (await reader.ReadUntilAsync(r => r.Any(x => Encoding.UTF8.GetString(x.Message.Key) == "loyal-7"), TimeSpan.FromSeconds(30), "the visit"))
            .Single(x => Encoding.UTF8.GetString(x.Message.Key) == "loyal-7");
        var published = await _serde.DeserializeAsync(record.Message.Value);

        Assert.That(published.eventId, Is.Not.EqualTo(Guid.Empty));
        Assert.That(published.receivedAt, Is.GreaterThanOrEqualTo(before.AddMilliseconds(-1)));
        Assert.That(published.traceParent, Does.StartWith("00-"));
        Assert.That(TraceHeaders.Read(record.Message.Headers), Is.EqualTo(published.traceParent));
    }

    [Test]
    public async Task An_invalid_event_is_refused_before_anything_is_sent()
    {
        using var publisher = new ChannelPublisher(new KafkaOptions { BootstrapServers = _cluster.BootstrapServers }, _serde);
        var nobody = new Interactions("x").PageViewed(Channel.WEB);
        nobody.subject = new Subject();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => publisher.PublishAsync(nobody));

        Assert.That(error!.Message, Does.Contain("InteractionEvent.subject"));
    }
}
