using System.Diagnostics;

namespace OmniStream.Cli.Tests;

public class DevClusterCommandTests
{
    [Test]
    public async Task Dev_cluster_prints_its_bootstrap_and_stops_cleanly_on_ctrl_c()
    {
        using var cli = CliProcess.Start("dev-cluster", "--brokers", "3");
        var clock = Stopwatch.StartNew();

        var line = await cli.WaitForLineAsync(l => l.StartsWith("bootstrap: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the bootstrap line");
        // Reported, not asserted: a quiet machine takes 0.2-1.4 s, a busy one took 12 s once (speed is a benchmark's to measure).
        TestContext.Out.WriteLine($"dev-cluster: bootstrap line after {clock.Elapsed.TotalSeconds:0.0} s");
        cli.Interrupt();
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(line["bootstrap: ".Length..].Split(','), Has.Length.EqualTo(3).And.All.Match(@"^127\.0\.0\.1:\d+$"));
        Assert.That(exitCode, Is.Zero, cli.Stderr);
        Assert.That(cli.Stdout, Does.Contain("dev-cluster: stopped"));
        Assert.That(cli.Stderr, Does.Not.Contain("malloc"));
    }

    [Test]
    public async Task Kcat_sees_the_catalog_topics_of_a_running_dev_cluster()
    {
        if (!File.Exists("/usr/bin/kcat"))
        {
            Assert.Ignore("kcat is not installed (apt-get install kcat; .ci/run installs it)");
        }
        using var cli = CliProcess.Start("dev-cluster", "--brokers", "1");
        var bootstrap = (await cli.WaitForLineAsync(l => l.StartsWith("bootstrap: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the bootstrap line"))["bootstrap: ".Length..];

        using var kcat = Process.Start(new ProcessStartInfo("/usr/bin/kcat", ["-L", "-b", bootstrap]) { RedirectStandardOutput = true })!;
        var metadata = await kcat.StandardOutput.ReadToEndAsync();
        await kcat.WaitForExitAsync();
        cli.Interrupt();
        await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(metadata, Does.Contain("topic \"omni.interactions.web\" with 6 partitions").And.Contain("topic \"omni.deadletter\""));
    }

    [Test]
    public async Task Topics_apply_reports_the_topics_of_a_running_dev_cluster_as_present()
    {
        using var cli = CliProcess.Start("dev-cluster", "--brokers", "1");
        var bootstrap = (await cli.WaitForLineAsync(l => l.StartsWith("bootstrap: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the bootstrap line"))["bootstrap: ".Length..];

        using var apply = CliProcess.Start("topics", "apply", "--bootstrap-servers", bootstrap);
        var exitCode = await apply.WaitForExitAsync(TimeSpan.FromSeconds(60));
        using var asJson = CliProcess.Start("topics", "apply", "--bootstrap-servers", bootstrap, "--json");
        var jsonExitCode = await asJson.WaitForExitAsync(TimeSpan.FromSeconds(60));
        cli.Interrupt();
        await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exitCode, Is.Zero, apply.Stderr);
        Assert.That(apply.Stdout, Has.Some.StartsWith("ok       omni.deadletter (6 partitions)"));
        Assert.That(apply.Stdout, Has.None.StartsWith("DIFFERS"));
        Assert.That(jsonExitCode, Is.Zero, asJson.Stderr);
        Assert.That(asJson.Stdout, Has.Some.EqualTo("""{"topic":"omni.deadletter","outcome":"ok","partitions":6,"expected":6}"""));
    }
}
