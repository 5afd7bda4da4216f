using System.Net;
using OmniStream.Streaming.Hosting;
using OmniStream.Testing;
using OmniStream.Testing.Processes;
using OmniStream.Testing.Registry;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// The images as they would run, without a container engine (none runs on these machines): each service's
/// <c>dotnet publish</c> output in a root-owned application directory no one else may write, started with its
/// Dockerfile stage's entrypoint as the image's non-root user, with its Dockerfile ENV and its compose file
/// environment, its state in a directory of that user (the volume). It serves <c>/health</c>, the HEALTHCHECK's
/// probe says healthy, it writes nothing into its application directory, and it stops cleanly on SIGTERM. The gateway's
/// output holds neither the stream engine nor RocksDB.
/// </summary>
[Parallelizable(ParallelScope.Self)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PublishedImageTests
{
    // The non-root user of Microsoft's .NET images (APP_UID), which the Dockerfile's USER names.
    private const string ImageUser = "1654";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [TestCase("worker", "OmniStream.Worker", "OMNISTREAM__API__URL")]
    [TestCase("gateway", "OmniStream.Gateway", "OMNISTREAM__GATEWAY__URL")]
    public async Task The_published_service_runs_as_its_image_non_root_with_a_read_only_app_directory_and_serves_health(string target, string project, string urlVariable)
    {
        if (Environment.UserName != "root")
        {
            Assert.Ignore("runs the service as the image's user, which needs root (CI runs as root)");
        }
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"omnistream-image-{target}-{Guid.NewGuid():N}"[..40])).FullName;
        try
        {
            var app = Path.Combine(work, "app");
            await ChildCommands.SucceedAsync("dotnet", Repository.Root, "publish", Path.Combine("services", project), "--no-build", "-c", ChildCommands.Configuration, "-o", app);
            var shipped = ReadOnlyTree(app);
            if (target == "gateway")
            {
                Assert.That(shipped.Where(f => f.Contains("rocksdb", StringComparison.OrdinalIgnoreCase) || f.Contains("OmniStream.Streaming", StringComparison.Ordinal)),
                    Is.Empty, "the gateway carries neither the stream engine nor RocksDB");
            }
            var (state, home) = (OwnedByImageUser(work, "state"), OwnedByImageUser(work, "home"));

            var image = ImageDefinitions.DockerfileEnvironment(target);
            var environment = new Dictionary<string, string>(await ImageDefinitions.ComposeEnvironmentAsync(target));
            foreach (var (name, value) in image)
            {
                environment.TryAdd(name, value);
            }
            var port = new Uri(LoopbackPort.FreeUrl()).Port;
            Assert.That(environment[urlVariable], Does.StartWith("http://0.0.0.0:"), "the image listens on every address");
            using var registry = new TestSchemaRegistry();
            var application = $"image-{target}-{Guid.NewGuid():N}"[..24];
            // This machine's stand-ins for the compose network's hosts, the volume and the user's home.
            environment["OMNISTREAM__KAFKA__BOOTSTRAPSERVERS"] = ClusterFixture.Cluster.BootstrapServers;
            environment["OMNISTREAM__SCHEMAREGISTRY__URL"] = registry.Url.ToString();
            environment[urlVariable] = $"http://0.0.0.0:{port}";
            environment["OMNISTREAM__STREAM__APPLICATIONID"] = application;
            environment["OMNISTREAM__GATEWAY__GROUPID"] = application;
            // The embedded brokers do not hide unfinished transactions (compose runs Apache Kafka, which does).
            environment["OMNISTREAM__STREAM__BROKERSISOLATETRANSACTIONS"] = "false";
            environment["HOME"] = home;
            if (target == "worker")
            {
                Assert.That(image["OMNISTREAM__STREAM__STATEDIRECTORY"], Is.EqualTo("/var/lib/omnistream/state"));
                Assert.That(ImageDefinitions.Stage(target), Does.Contain("VOLUME /var/lib/omnistream/state"));
                environment["OMNISTREAM__STREAM__STATEDIRECTORY"] = state;
                await OutageTests.CreateTopicsAsync(application);
            }
            Assert.That(ImageDefinitions.Stage(target), Does.Contain("USER $APP_UID").And.Contain($"EXPOSE {new Uri(image[urlVariable]).Port}"));

            using var service = AsImageUser(target, ImageDefinitions.Entrypoint(target), app, environment);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await Wait.UntilAsync(async () =>
            {
                if (service.HasExited)
                {
                    Assert.Fail($"{target} exited\n{service.Output}");
                }
                try
                {
                    return (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, Deadline, $"{target}'s /health answering 200");

            if (target == "worker")
            {
                await Wait.UntilAsync(() => Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories).Any(), Deadline, "the worker's stores in the volume");
            }
            using var probe = AsImageUser($"{target} probe", ImageDefinitions.HealthCheck(target), app, environment);
            Assert.That(await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, $"the HEALTHCHECK's probe\n{probe.Output}");
            Assert.That(await service.StopAsync(TimeSpan.FromSeconds(60)), Is.Zero, service.Output);
            Assert.Multiple(() =>
            {
                Assert.That(ReadTree(app), Is.EquivalentTo(shipped), "nothing written into the application directory");
                Assert.That(service.CrashedNatively, Is.False, service.Output);
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public void The_restore_layer_copies_every_project_the_images_build()
    {
        var copied = ImageDefinitions.Stage("build").Where(i => i.StartsWith("COPY ", StringComparison.Ordinal) && i.Contains(".csproj ", StringComparison.Ordinal)).Select(i => i.Split(' ')[1]).ToList();
        var projects = Directory.GetFiles(Path.Combine(Repository.Root, "services"), "*.csproj", SearchOption.AllDirectories)
            .Append(Path.Combine(Repository.Root, "tools", "OmniStream.SchemaGen", "OmniStream.SchemaGen.csproj"))
            .Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/'));

        Assert.That(copied, Is.EquivalentTo(projects), "deploy/Dockerfile's restore layer, one COPY per project");
    }

    private static ServiceProcess AsImageUser(string name, IReadOnlyList<string> command, string directory, IReadOnlyDictionary<string, string> environment) =>
        ServiceProcess.StartCommand(name, "setpriv", [$"--reuid={ImageUser}", $"--regid={ImageUser}", "--clear-groups", "--", .. command], directory, environment);

    // Root-owned (as COPY leaves it), no one may write: directories r-x, files r--.
    private static List<string> ReadOnlyTree(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        foreach (var folder in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).Append(directory))
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return ReadTree(directory);
    }

    private static List<string> ReadTree(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Select(e => $"{e} {(File.Exists(e) ? new FileInfo(e).Length : -1)}")];

    private static string OwnedByImageUser(string parent, string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        using var chown = System.Diagnostics.Process.Start("chown", [$"{ImageUser}:{ImageUser}", directory]);
        chown.WaitForExit();
        Assert.That(chown.ExitCode, Is.Zero, $"chown {directory}");
        return directory;
    }
}
