using Microsoft.Extensions.DependencyInjection;
using OmniStream.Schemas.Contracts;
using OmniStream.Streaming.Tasks;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;

namespace OmniStream.Worker.Tests;

public class ThreadedWorkerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task With_two_threads_per_stage_every_customer_gets_one_reminder_and_the_api_reads_each_from_the_thread_that_owns_it()
    {
        var app = "threads-" + Guid.NewGuid().ToString("N")[..8];
        await using var worker = await WorkerHarness.StartAsync(TimeSpan.FromMilliseconds(500), KafkaFixture.Cluster, app,
            // On the embedded brokers the rebalance that the second thread's joining starts took 45 s here with the default sessions.
            Path.Combine(Path.GetTempPath(), $"omnistream-{app}"), settings: ShortSessions.With(new Dictionary<string, string> { ["OmniStream:Stream:Threads"] = "2" }));
        var customers = Enumerable.Range(0, 8).Select(i => new Interactions($"c{i}-" + Guid.NewGuid().ToString("N")[..8], DateTime.UtcNow)).ToList();
        using var actions = new ActionReader();

        foreach (var customer in customers)
        {
            await worker.GrantMarketingAsync(customer);
            await worker.Publisher.PublishAsync(customer.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
        }
        foreach (var customer in customers)
        {
            await actions.WhenAsync(customer.CustomerId, 1);
            await worker.Api.ViewWhenAsync(customer.CustomerId, v => v.GetProperty("actions").GetArrayLength() == 1, Deadline, $"{customer.CustomerId}'s view");
        }

        var engines = worker.Services.GetServices<StreamEngine>().ToList();
        Assert.That(engines.Select(e => e.PartitionsPerThread.Count(owned => owned > 0)), Has.All.EqualTo(2), "every stage's partitions on both threads");
        foreach (var customer in customers)
        {
            Assert.That(await actions.SeenForAsync(customer.CustomerId), Has.Count.EqualTo(1), customer.CustomerId);
        }
    }
}
