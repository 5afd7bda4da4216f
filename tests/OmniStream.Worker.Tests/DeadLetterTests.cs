using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

public class DeadLetterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_malformed_record_in_any_topic_the_worker_reads_is_set_aside_untouched_with_its_reason_and_the_worker_goes_on()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMilliseconds(300));
        var run = Guid.NewGuid().ToString("N")[..8];
        // Every channel's interactions topic and the privacy topic (stage ingest), and the two repartition topics (stages identity and customers).
        var topics = TopicCatalog.AllInteractions.Select(t => t.Name).Append(TopicCatalog.PrivacyRequests.Name)
            .Append(WorkerTopology.IdentityInput(worker.ApplicationId)).Append(WorkerTopology.CustomersInput(worker.ApplicationId)).ToList();
        var garbage = topics.ToDictionary(topic => $"garbage-{run}-{topic}", topic => (Topic: topic, Value: Encoding.UTF8.GetBytes($"{{\"not\":\"avro\",\"topic\":\"{topic}\"}}")));
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build())
        {
            foreach (var (key, (topic, value)) in garbage)
            {
                await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = value });
            }
        }
        var anna = new Interactions("anna-" + run, DateTime.UtcNow);
        await worker.GrantMarketingAsync(anna);
        await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));

        using var deadLetters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.DeadLetter.Name]);
        var letters = await deadLetters.ReadUntilAsync(r => garbage.Keys.All(key => r.Any(d => Encoding.UTF8.GetString(d.Message.Key) == key)),
            Deadline, $"{garbage.Count} dead letters, one per topic");
        using var actions = new TopicReader(KafkaFixture.Cluster.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name));
        await actions.ReadUntilAsync(r => r.Any(a => Encoding.UTF8.GetString(a.Message.Key) == anna.CustomerId), Deadline, "a reminder after the bad records");

        Assert.Multiple(() =>
        {
            foreach (var (key, (topic, value)) in garbage)
            {
                var letter = letters.Single(d => Encoding.UTF8.GetString(d.Message.Key) == key).Message;
                Assert.That(letter.Value, Is.EqualTo(value), topic);
                Assert.That(Header(letter, DeadLetterHeaders.SourceTopic), Is.EqualTo(topic));
                Assert.That(Header(letter, DeadLetterHeaders.ErrorClass), Does.EndWith("AvroDecodeException"), topic);
                Assert.That(Header(letter, DeadLetterHeaders.ErrorMessage), Does.StartWith("UnknownFormat"), topic);
                Assert.That(long.Parse(Header(letter, DeadLetterHeaders.SourceOffset)), Is.GreaterThanOrEqualTo(0), topic);
            }
        });
    }

    [Test]
    public async Task A_channel_record_forging_a_stage_header_is_set_aside_and_steers_nothing()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMinutes(30));
        var run = Guid.NewGuid().ToString("N")[..8];
        var (customer, visitor) = (new Interactions("owner-" + run), Interactions.Anonymous("cookie-" + run));
        await worker.Publisher.PublishAsync(customer.Identified(Channel.WEB, visitor.CustomerId));
        await worker.Api.ViewWhenAsync(customer.CustomerId, v => v.GetProperty("linkedIds").GetArrayLength() == 1, Deadline, "the cookie linked");

        // A valid event of the cookie, carrying the header by which stage customers asks identity to forget a link.
        var forged = await new Schemas.Wire.AvroSerde<InteractionEvent>(Schemas.Catalog.SchemaCatalog.Default)
            .SerializeAsync(visitor.PageViewed(Channel.WEB, "/forged"), TopicCatalog.Interactions(Channel.WEB).Name);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(TopicCatalog.Interactions(Channel.WEB).Name, new Message<string, byte[]>
            {
                Key = visitor.CustomerId,
                Value = forged,
                Headers = [new Header(StageHeaders.Unlink, Encoding.UTF8.GetBytes(customer.CustomerId))],
            });
        }
        await worker.Publisher.PublishAsync(visitor.PageViewed(Channel.WEB, "/after"));

        using var deadLetters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.DeadLetter.Name]);
        var letter = (await deadLetters.ReadUntilAsync(r => r.Any(d => d.Message.Value.SequenceEqual(forged)), Deadline, "the forged record set aside"))
            .First(d => d.Message.Value.SequenceEqual(forged)).Message;
        // Still linked: the cookie's next page view is the customer's.
        var view = await worker.Api.ViewWhenAsync(customer.CustomerId,
            v => v.GetProperty("timeline").EnumerateArray().Any(e => e.ToString().Contains("/after", StringComparison.Ordinal)), Deadline, "the cookie's later page view on the customer");

        Assert.That(Header(letter, DeadLetterHeaders.ErrorClass), Does.EndWith("InternalHeaderException"));
        Assert.That(Header(letter, DeadLetterHeaders.ErrorMessage), Does.Contain($"header '{StageHeaders.Unlink}' is internal"));
        Assert.That(view.GetProperty("linkedIds").EnumerateArray().Select(e => e.GetString()), Does.Contain(visitor.CustomerId));
        Assert.That(view.GetProperty("timeline").ToString(), Does.Not.Contain("/forged"));
    }

    [Test]
    public async Task An_erasure_request_on_a_channel_topic_is_set_aside_and_erases_nothing()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMinutes(30));
        var customer = new Interactions("kept-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        await worker.Publisher.PublishAsync(customer.PageViewed(Channel.WEB, "/before"));
        await worker.Api.ViewWhenAsync(customer.CustomerId, _ => true, Deadline, "the customer");

        // Written as a channel backend may write its topic, past the SDK (which refuses it).
        var forged = await new Schemas.Wire.AvroSerde<InteractionEvent>(Schemas.Catalog.SchemaCatalog.Default)
            .SerializeAsync(customer.After(TimeSpan.FromSeconds(1)).ErasureRequested(Channel.WEB), TopicCatalog.Interactions(Channel.WEB).Name);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(TopicCatalog.Interactions(Channel.WEB).Name, new Message<string, byte[]> { Key = customer.CustomerId, Value = forged });
        }
        await worker.Publisher.PublishAsync(customer.After(TimeSpan.FromSeconds(2)).PageViewed(Channel.WEB, "/after"));

        using var deadLetters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.DeadLetter.Name]);
        var letter = (await deadLetters.ReadUntilAsync(r => r.Any(d => d.Message.Value.SequenceEqual(forged)), Deadline, "the erasure request set aside"))
            .First(d => d.Message.Value.SequenceEqual(forged)).Message;
        var view = await worker.Api.ViewWhenAsync(customer.CustomerId,
            v => v.GetProperty("timeline").ToString().Contains("/after", StringComparison.Ordinal), Deadline, "the later page view");

        Assert.That(Header(letter, DeadLetterHeaders.ErrorClass), Does.EndWith("MisplacedRequestException"));
        Assert.That(Header(letter, DeadLetterHeaders.ErrorMessage), Does.Contain("privacy:erase"));
        Assert.That(view.GetProperty("timeline").ToString(), Does.Contain("/before"), "nothing erased");
    }

    private static string Header(Message<byte[], byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));
}
