using OmniStream.Testing;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// The CLI as people install it: <c>dotnet pack</c> makes the OmniStream.Cli tool package into a folder, and
/// <c>dotnet tool install</c> from that folder gives an <c>omnistream</c> command that works as the docs write it:
/// its help, a definitions check, and a command against the brokers (the Kafka client's native library loads).
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class ToolPackageTests
{
    [Test]
    public async Task The_tool_installed_from_the_packed_folder_runs_the_commands_as_written()
    {
        var work = Path.Combine(Path.GetTempPath(), "omnistream-tool-" + Guid.NewGuid().ToString("N")[..8]);
        var feed = Path.Combine(work, "packed");
        var tools = Path.Combine(work, "tools");
        var version = ChildCommands.FreshVersion();
        try
        {
            await ChildCommands.SucceedAsync("dotnet", Repository.Root, "pack", Path.Combine("services", "OmniStream.Cli", "OmniStream.Cli.csproj"),
                "--no-build", "-c", ChildCommands.Configuration, "-o", feed, $"-p:Version={version}");
            await ChildCommands.SucceedAsync("dotnet", work, "tool", "install", "--tool-path", tools, "--add-source", feed, "OmniStream.Cli", "--version", version);
            var omnistream = Path.Combine(tools, "omnistream");
            var none = new Dictionary<string, string>();

            var help = await ChildCommands.SucceedAsync(omnistream, work, "--help");
            Assert.That(help, Does.Contain("demo").And.Contain("lag").And.Contain("topics").And.Contain("policies"));

            var policies = Path.Combine(Repository.Root, "services", "OmniStream.Worker", "policies.yaml");
            await ChildCommands.SucceedAsync(omnistream, work, "policies", "validate", policies);

            var (code, _, errors) = await ChildCommands.RunAsync(omnistream, work, none,
                "lag", "--bootstrap-servers", ClusterFixture.Cluster.BootstrapServers, "--application-id", "no-such-application");
            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(2), errors);
                Assert.That(errors, Does.Contain("no-such-application"), "the installed command reached the brokers and named what it looked for");
            });
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }
}
