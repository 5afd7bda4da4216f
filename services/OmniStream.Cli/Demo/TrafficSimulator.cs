using System.Diagnostics;
using Confluent.Kafka;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Cli.Demo;

/// <summary>
/// Publishes the customers' events at a steady rate through the channel SDK, and now and then a
/// record a faulty backend got wrong, to show it set aside without stopping anything.
/// </summary>
internal sealed class TrafficSimulator(ChannelPublisher publisher, IProducer<string, byte[]> faultyBackend, DemoSettings settings)
{
    private const int MalformedEvery = 5_000;
    private const int MaxInFlight = 2_000;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private long _published;
    private long _malformed;

    public long Published => Interlocked.Read(ref _published);

    /// <summary>The id of the simulated customer number <paramref name="number"/> (from 1).</summary>
    public static string CustomerId(int number) => $"cust-{number:D5}";

    public long Malformed => Interlocked.Read(ref _malformed);

    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(42);
        var customers = Enumerable.Range(1, settings.Customers)
            .Select(i => new SimulatedCustomer(CustomerId(i), i % 2 == 0 ? Channel.WEB : Channel.MOBILE_APP, consents: i % 5 != 0))
            .ToArray();
        var inFlight = new List<Task>(MaxInFlight);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * settings.EventsPerSecond);
            for (; sent < due; sent++)
            {
                var customer = customers[random.Next(customers.Length)];
                // Publishes already started complete even when stopping: stop only ends the loop.
                inFlight.Add(PublishAsync(customer.Next(random, DateTime.UtcNow)));
                if (sent % MalformedEvery == MalformedEvery - 1)
                {
                    inFlight.Add(PublishMalformedAsync(customer.CustomerId));
                }
            }
            if (inFlight.Count >= MaxInFlight)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
            await Task.Delay(Step, CancellationToken.None);
        }
        await Task.WhenAll(inFlight);
    }

    private async Task PublishAsync(InteractionEvent interaction)
    {
        await publisher.PublishAsync(interaction);
        Interlocked.Increment(ref _published);
    }

    private async Task PublishMalformedAsync(string key)
    {
        var topic = TopicCatalog.Interactions(Channel.WEB).Name;
        await faultyBackend.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = "{\"cart\":\"oops, JSON\"}"u8.ToArray() });
        Interlocked.Increment(ref _malformed);
    }
}
