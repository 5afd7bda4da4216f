using System.Text;
using Microsoft.Extensions.Logging;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Kafka;
using OmniStream.Testing.Logging;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Tests;

/// <summary>A developer restarts the demo's embedded cluster but keeps the worker's state directory.</summary>
public class NewClusterRestartTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CartIdle = TimeSpan.FromMilliseconds(300);

    [Test]
    public async Task A_worker_restarted_on_a_new_embedded_cluster_rebuilds_its_stores_and_processes_the_new_log_from_its_start()
    {
        var applicationId = "new-cluster-" + Guid.NewGuid().ToString("N")[..8];
        var state = Path.Combine(Path.GetTempPath(), "omnistream-new-cluster-" + Guid.NewGuid().ToString("N"));
        await using (var first = await StartClusterAsync())
        {
            await using var worker = await WorkerHarness.StartAsync(CartIdle, first, applicationId, state, keepState: true);
            // Enough events that the stores' checkpoints and the saved positions run ahead of the new cluster's logs.
            var customers = Enumerable.Range(0, 30).Select(i => new Interactions($"old-{i}", DateTime.UtcNow)).ToList();
            foreach (var customer in customers)
            {
                await worker.GrantMarketingAsync(customer);
                await worker.Publisher.PublishAsync(customer.CartUpdated(Channel.WEB, ("sku-1", 1, 10m)));
            }
            using var actions = new TopicReader(first.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name));
            await actions.ReadUntilAsync(r => r.Count >= customers.Count, Deadline, "a reminder for each customer on the first cluster");
        }

        await using var second = await StartClusterAsync();
        var logs = new CapturedLogs();
        await using (var worker = await WorkerHarness.StartAsync(CartIdle, second, applicationId, state, logging => logging.AddProvider(logs)))
        {
            var anna = new Interactions("anna", DateTime.UtcNow);
            await worker.GrantMarketingAsync(anna);
            await worker.Publisher.PublishAsync(anna.CartUpdated(Channel.WEB, ("sku-2", 1, 20m)));
            using var actions = new TopicReader(second.BootstrapServers, TopicCatalog.AllActions.Select(t => t.Name));
            var records = await actions.ReadUntilAsync(r => r.Any(a => Encoding.UTF8.GetString(a.Message.Key) == anna.CustomerId), Deadline,
                "a reminder for the first event of the new cluster");
            Assert.That(records.Select(r => Encoding.UTF8.GetString(r.Message.Key)), Is.EqualTo(new[] { anna.CustomerId }), "nothing of the old cluster comes back");
        }
        var rebuilt = logs.Messages.Where(m => m.Contains("wiping the local copy and rebuilding it", StringComparison.Ordinal)).ToList();
        Assert.That(rebuilt, Has.Some.Contains($"Store {WorkerTopology.CustomersStore}:").And.Some.Contains("ahead of the changelog's end"));
    }

    private static async Task<IKafkaTestCluster> StartClusterAsync()
    {
        var cluster = KafkaTestClusters.StartEmbedded(brokers: 1);
        await cluster.TopicAdmin.ApplyAsync(TopicCatalog.All);
        return cluster;
    }
}
