// A web shop's backend: publishes that a customer viewed a page, then waits for the brokers' ack.
// OMNISTREAM__KAFKA__BOOTSTRAPSERVERS names the brokers (SASL and TLS settings as for the services);
// the first argument is the customer id.
using OmniStream.Channels.Publishing;
using OmniStream.Kafka;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;

var bootstrap = Environment.GetEnvironmentVariable("OMNISTREAM__KAFKA__BOOTSTRAPSERVERS");
if (string.IsNullOrWhiteSpace(bootstrap) || args.Length != 1)
{
    Console.Error.WriteLine("usage: OMNISTREAM__KAFKA__BOOTSTRAPSERVERS=host:port ChannelBackend <customer id>");
    return 2;
}

var kafka = new KafkaOptions { BootstrapServers = bootstrap };
using var publisher = new ChannelPublisher(kafka, new AvroSerde<InteractionEvent>(SchemaCatalog.Default));
var page = new InteractionEvent
{
    occurredAt = DateTime.UtcNow,
    channel = Channel.WEB,
    subject = new Subject { customerId = args[0] },
    payload = new PageViewed { location = "/boots" },
};
await publisher.PublishAsync(page);
Console.WriteLine($"published {page.eventId} for {args[0]}");
return 0;
