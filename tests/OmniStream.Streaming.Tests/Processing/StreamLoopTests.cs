using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using OmniStream.Streaming.DeadLetters;
using OmniStream.Streaming.Hosting;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Telemetry;
using OmniStream.Testing;
using OmniStream.Testing.Kafka;

namespace OmniStream.Streaming.Tests.Processing;

/// <summary>The runtime with a toy handler, on a real cluster.</summary>
public class StreamLoopTests
{
    private static IKafkaTestCluster Cluster => KafkaFixture.Cluster;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Records_are_handled_failures_dead_lettered_transient_ones_retried_and_ticks_emitted()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (input, output, deadLetters) = ($"toy-in-{id}", $"toy-out-{id}", $"toy-dlq-{id}");
        await Cluster.CreateTopicAsync(input, partitions: 2);
        await Cluster.CreateTopicAsync(deadLetters, partitions: 2);
        // One partition: the order read is the order produced, whatever the keys.
        await Cluster.CreateTopicAsync(output, partitions: 1);
        var options = new StreamLoopOptions { ApplicationId = $"toy-{id}", DeadLetterTopic = deadLetters };
        var kafka = new KafkaOptions { BootstrapServers = Cluster.BootstrapServers };
        using var metrics = new StreamingMetrics();
        var loop = new StreamLoop(kafka, options, new ToyHandler(input, output), metrics, NullLogger<StreamLoop>.Instance, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => loop.RunAsync(stop.Token));
        await Wait.UntilAsync(() => loop.AssignedPartitions > 0 || running.IsFaulted, Deadline, "the loop to join its group");

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            foreach (var value in new[] { "a", "boom", "flaky", "timer", "b" })
            {
                await producer.ProduceAsync(input, new Message<string, string> { Key = "k", Value = value });
            }
        }
        using var outputs = new TopicReader(Cluster.BootstrapServers, [output]);
        using var letters = new TopicReader(Cluster.BootstrapServers, [deadLetters]);
        var produced = await outputs.ReadUntilAsync(r => r.Count >= 5, Deadline, "4 handled records and a tick");
        var dead = await letters.ReadUntilAsync(r => r.Count >= 1, Deadline, "the dead letter");
        await stop.CancelAsync();
        await running;

        Assert.That(produced.Select(r => Encoding.UTF8.GetString(r.Message.Value)), Is.EqualTo(new[] { "A", "FLAKY", "TIMER", "tick", "B" }).Or.EqualTo(new[] { "A", "FLAKY", "TIMER", "B", "tick" }));
        Assert.That(dead, Has.Count.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(dead[0].Message.Value), Is.EqualTo("boom"));
        Assert.That(Encoding.UTF8.GetString(dead[0].Message.Headers.GetLastBytes(DeadLetterHeaders.ErrorMessage)), Is.EqualTo("the toy handler refuses 'boom'"));
    }

    [Test]
    public async Task A_stopped_loop_has_committed_what_it_processed()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (input, output) = ($"toy-in-{id}", $"toy-out-{id}");
        await Cluster.CreateTopicAsync(input, partitions: 1);
        await Cluster.CreateTopicAsync(output, partitions: 1);
        var options = new StreamLoopOptions { ApplicationId = $"toy-{id}", DeadLetterTopic = output };
        var kafka = new KafkaOptions { BootstrapServers = Cluster.BootstrapServers };
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(input, new Message<string, string> { Key = "k", Value = $"v{i}" });
            }
        }
        using var metrics = new StreamingMetrics();
        var loop = new StreamLoop(kafka, options, new ToyHandler(input, output), metrics, NullLogger<StreamLoop>.Instance, TimeProvider.System);
        using var outputs = new TopicReader(Cluster.BootstrapServers, [output]);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => loop.RunAsync(stop.Token));
        await outputs.ReadUntilAsync(r => r.Count >= 10, Deadline, "10 outputs");
        await stop.CancelAsync();
        await running;

        using var admin = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Cluster.BootstrapServers, GroupId = options.ApplicationId }).Build();
        var committed = admin.Committed([new TopicPartition(input, 0)], TimeSpan.FromSeconds(10));

        Assert.That(committed.Single().Offset.Value, Is.EqualTo(10));
    }
}
