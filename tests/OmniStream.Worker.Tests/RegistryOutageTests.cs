using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Registry;
using OmniStream.Schemas.Wire;
using OmniStream.Testing;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Logging;
using OmniStream.Testing.Registry;

namespace OmniStream.Worker.Tests;

/// <summary>
/// A Schema Registry that stops answering is an outage, not bad data: the worker pauses the stage that needs it and
/// replays its transaction with backoff, sets no valid event aside, and handles the event once the registry is back.
/// </summary>
public class RegistryOutageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task While_the_registry_is_down_the_worker_pauses_sets_no_valid_event_aside_and_handles_it_once_the_registry_is_back()
    {
        using var registry = new TestSchemaRegistry();
        var logs = new CapturedLogs();
        await using var worker = await WorkerHarness.StartAsync(TimeSpan.FromMinutes(30), KafkaFixture.Cluster, WorkerHarness.Unique("registry-outage"),
            Path.Combine(Path.GetTempPath(), "omnistream-registry-outage-" + Guid.NewGuid().ToString("N")), logging => logging.AddProvider(logs),
            settings: new Dictionary<string, string> { ["OmniStream:SchemaRegistry:Url"] = registry.Url.ToString() });
        var customer = new Interactions(WorkerHarness.Unique("patient"), DateTime.UtcNow);
        var topic = TopicCatalog.Interactions(Channel.STORE).Name;
        // Framed as the SDK frames it, with the registry's schema id, while the registry answers; the worker has not read that id yet.
        using var client = new SchemaRegistryOptions { Url = registry.Url }.CreateClient();
        var value = await new AvroSerde<InteractionEvent>(SchemaCatalog.Default, client).SerializeAsync(customer.PageViewed(Channel.STORE, "/till"), topic);

        registry.Unavailable = true;
        var requestsBefore = registry.Requests;
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = KafkaFixture.Cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(customer.CustomerId), Value = value });
        }
        // Whichever stage first needs the registry (to read the event, or to write the customer's profile) pauses.
        await Wait.UntilAsync(() => logs.Messages.Count(m => m.Contains("paused, nothing set aside", StringComparison.Ordinal)) >= 3,
            Deadline, "a stage pausing and trying again");
        var triedWhileDown = registry.Requests - requestsBefore;
        registry.Unavailable = false;

        var view = await worker.Api.ViewWhenAsync(customer.CustomerId, _ => true, Deadline, "the event handled once the registry is back");

        Assert.That(view.GetProperty("lastChannel").GetString(), Is.EqualTo("STORE"));
        Assert.That(triedWhileDown, Is.GreaterThanOrEqualTo(3), "the registry asked again while down");
        // The shared topics hold other tests' bad records, which this worker sets aside as it should: none for the registry.
        Assert.That(logs.Messages.Where(m => m.Contains("dead-letter topic", StringComparison.Ordinal)
                                             && (m.Contains("RegistryUnavailable", StringComparison.Ordinal) || m.Contains("Schema Registry", StringComparison.Ordinal))),
            Is.Empty, "nothing set aside for the registry's outage");
        Assert.That(logs.Messages, Has.Some.Contains("resumed: the dependency answers again"));
    }
}
