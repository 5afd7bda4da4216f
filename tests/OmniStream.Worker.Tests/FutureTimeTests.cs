using System.Text;
using Confluent.Kafka;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Kafka.Operations.DeadLetters;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

/// <summary>
/// Time from outside cannot be forged into the future: an event stamped 2099 would become its customer's clock (every
/// real event after it refused as late) and its record's time the stream's. Written past the SDK, as any producer may.
/// </summary>
public class FutureTimeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly DateTime Future = new(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly AvroSerde<InteractionEvent> Serde = new(SchemaCatalog.Default);

    [Test]
    public async Task An_event_from_the_future_is_set_aside_and_the_customers_later_events_are_still_taken()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMinutes(30));
        var customer = new Interactions("clock-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        var forged = await Serde.SerializeAsync(new Interactions(customer.CustomerId, Future).PageViewed(Channel.WEB, "/from-2099"), TopicCatalog.Interactions(Channel.WEB).Name);
        await ProduceAsync(forged, customer.CustomerId, Future);
        await worker.Publisher.PublishAsync(customer.After(TimeSpan.FromSeconds(1)).PageViewed(Channel.WEB, "/today"));

        using var deadLetters = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [TopicCatalog.DeadLetter.Name]);
        var letter = (await deadLetters.ReadUntilAsync(r => r.Any(d => d.Message.Value.SequenceEqual(forged)), Deadline, "the event from 2099 set aside"))
            .First(d => d.Message.Value.SequenceEqual(forged)).Message;
        var view = await worker.Api.ViewWhenAsync(customer.CustomerId, v => v.GetProperty("timeline").ToString().Contains("/today", StringComparison.Ordinal), Deadline,
            "today's page view taken");

        Assert.That(Encoding.UTF8.GetString(letter.Headers.GetLastBytes(DeadLetterHeaders.ErrorMessage)), Does.Contain("minutes after the time it was received"));
        Assert.That(view.GetProperty("timeline").ToString(), Does.Not.Contain("/from-2099"));
        Assert.That(view.GetProperty("lastSeenAt").GetDateTime(), Is.LessThan(DateTime.UtcNow.AddMinutes(10)), "the customer's clock is today's");
    }

    [Test]
    public async Task A_record_time_ahead_of_the_clock_goes_no_further_than_stage_ingest()
    {
        await using var worker = await WorkerHarness.StartAsync(cartIdleTime: TimeSpan.FromMinutes(30));
        // A valid event whose record claims 2099 (a producer sets its records' time).
        var visitor = Interactions.Anonymous("cookie-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow);
        var value = await Serde.SerializeAsync(visitor.PageViewed(Channel.WEB, "/now"), TopicCatalog.Interactions(Channel.WEB).Name);
        await ProduceAsync(value, visitor.CustomerId, Future);

        using var repartition = new TopicReader(KafkaFixture.Cluster.BootstrapServers, [WorkerTopology.IdentityInput(worker.ApplicationId)]);
        var forwarded = (await repartition.ReadUntilAsync(r => r.Any(m => m.Message.Value.SequenceEqual(value)), Deadline, "the event forwarded by ingest"))
            .First(m => m.Message.Value.SequenceEqual(value));

        Assert.That(forwarded.Message.Timestamp.UtcDateTime, Is.LessThan(DateTime.UtcNow.AddMinutes(1)), "forwarded with the time it was read at, not 2099");
    }

    private static async Task ProduceAsync(byte[] value, string key, DateTime timestamp)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build();
        await producer.ProduceAsync(TopicCatalog.Interactions(Channel.WEB).Name, new Message<string, byte[]> { Key = key, Value = value, Timestamp = new Timestamp(timestamp) });
    }
}
