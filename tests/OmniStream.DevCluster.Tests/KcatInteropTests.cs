using System.Diagnostics;
using Confluent.Kafka;
using static OmniStream.DevCluster.Tests.DevClusterFixture;

namespace OmniStream.DevCluster.Tests;

/// <summary>An independent Kafka client (kcat, Debian's build of librdkafka 2.0) speaks to the embedded cluster.</summary>
public class KcatInteropTests
{
    [OneTimeSetUp]
    public void RequireKcat()
    {
        if (!File.Exists("/usr/bin/kcat"))
        {
            Assert.Ignore("kcat is not installed (apt-get install kcat; .ci/run installs it)");
        }
    }

    [Test]
    public async Task Kcat_produces_records_the_cluster_keeps()
    {
        var topic = NewTopic();

        var (exitCode, _, stderr) = await RunKcatAsync($"-P -b {Cluster.BootstrapServers} -t {topic} -K:", "a:one\nb:two\nc:three\n");

        Assert.That(exitCode, Is.Zero, stderr);
        var records = ReadAll(topic, 3, TimeSpan.FromSeconds(20));
        Assert.That(records.Select(r => $"{r.Message.Key}:{r.Message.Value}"), Is.EquivalentTo(new[] { "a:one", "b:two", "c:three" }));
    }

    [Test]
    public async Task Kcat_consumes_records_produced_by_our_client()
    {
        var topic = NewTopic(partitions: 1);
        using (var producer = Producer())
        {
            foreach (var value in new[] { "first", "second" })
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = value });
            }
        }

        var (exitCode, stdout, stderr) = await RunKcatAsync($"-C -b {Cluster.BootstrapServers} -t {topic} -o beginning -e -q -f %k=%s\\n", null);

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "k=first", "k=second" }));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunKcatAsync(string arguments, string? input)
    {
        var start = new ProcessStartInfo("/usr/bin/kcat", arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
