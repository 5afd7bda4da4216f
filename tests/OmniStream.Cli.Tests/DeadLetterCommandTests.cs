using System.Text;
using Confluent.Kafka;
using OmniStream.Streaming.DeadLetters;

namespace OmniStream.Cli.Tests;

public class DeadLetterCommandTests
{
    [Test]
    public async Task Replay_lists_and_replays_the_chosen_dead_letters()
    {
        using var cluster = CliProcess.Start("dev-cluster", "--brokers", "1");
        var bootstrap = (await cluster.WaitForLineAsync(l => l.StartsWith("bootstrap: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the bootstrap line"))["bootstrap: ".Length..];
        var failed = new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset("omni.interactions.web", 2, 17),
            Message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("anna"), Value = [0x7B] },
        };
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            await producer.ProduceAsync("omni.deadletter", DeadLetter.Of(failed, new FormatException("not avro"), "worker", DateTime.UtcNow));
        }

        using var dryRun = CliProcess.Start("deadletter", "replay", "--bootstrap-servers", bootstrap, "--error-class", "FormatException", "--dry-run");
        var dryRunExit = await dryRun.WaitForExitAsync(TimeSpan.FromSeconds(60));
        using var replay = CliProcess.Start("deadletter", "replay", "--bootstrap-servers", bootstrap, "--source-topic", "omni.interactions.web");
        var replayExit = await replay.WaitForExitAsync(TimeSpan.FromSeconds(60));
        cluster.Interrupt();
        await cluster.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(dryRunExit, Is.Zero, dryRun.Stderr);
        Assert.That(dryRun.Stdout, Does.Contain("would replay omni.interactions.web [2] @17: System.FormatException: not avro"));
        Assert.That(replayExit, Is.Zero, replay.Stderr);
        Assert.That(replay.Stdout[^1], Is.EqualTo("deadletter replay: 1 replayed, 0 listed only"));
    }
}
