using System.Text.Json;
using OmniStream.Channels.Topics;
using OmniStream.Schemas.Contracts;
using OmniStream.Testing;
using OmniStream.Testing.Kafka;

namespace OmniStream.Deployment.Tests;

/// <summary>
/// The SDK as a channel team gets it: <c>dotnet pack</c> makes the packages (Kafka settings, contracts,
/// SDK) into a local folder feed, and the sample channel backend (<c>samples/ChannelBackend</c>, a project
/// of its own) restores them from that feed, not from project references, builds, and publishes an
/// event to the brokers. Its dependency closure holds no stream engine, no RocksDB, no OpenTelemetry SDK.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class SdkPackageTests
{
    private static readonly string[] Packed = ["OmniStream.Kafka", "OmniStream.Schemas", "OmniStream.Channels"];
    private static readonly string[] Forbidden = ["RocksDB", "OpenTelemetry", "OmniStream.Streaming", "OmniStream.Customers", "OmniStream.Decisions", "MemoryPack", "OmniStream.Adapters"];

    [Test]
    public async Task The_packed_sdk_builds_the_sample_backend_from_a_local_feed_without_the_engine_and_it_publishes()
    {
        var work = Path.Combine(Path.GetTempPath(), "omnistream-sdk-" + Guid.NewGuid().ToString("N")[..8]);
        var feed = Path.Combine(work, "feed");
        var version = ChildCommands.FreshVersion();
        try
        {
            foreach (var project in Packed)
            {
                await ChildCommands.SucceedAsync("dotnet", Repository.Root, "pack", Path.Combine("services", project, project + ".csproj"), "--no-build", "-c", ChildCommands.Configuration,
                    "-o", feed, $"-p:Version={version}");
            }
            Assert.That(Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName), Is.EquivalentTo(Packed.Select(p => $"{p}.{version}.nupkg")));
            Assert.That(PackedNamespaces(Path.Combine(feed, $"OmniStream.Channels.{version}.nupkg"), "OmniStream.Channels.dll"),
                Is.EquivalentTo(new[] { "OmniStream.Channels.Publishing", "OmniStream.Channels.Subscribing", "OmniStream.Channels.Topics", "OmniStream.Channels.Tracing" }),
                "the SDK holds publishing, subscribing, the topics and tracing: no adapter, no JSON reading");

            // The sample, outside the repository, with a feed of the packed packages before nuget.org.
            var samples = Path.Combine(work, "samples");
            CopyDirectory(Path.Combine(Repository.Root, "samples"), samples);
            await File.WriteAllTextAsync(Path.Combine(samples, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="omnistream" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
                  </packageSources>
                  <packageSourceMapping>
                    <packageSource key="omnistream"><package pattern="OmniStream.*" /></packageSource>
                    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
                  </packageSourceMapping>
                </configuration>
                """);
            var backend = Path.Combine(samples, "ChannelBackend");
            await ChildCommands.SucceedAsync("dotnet", backend, "build", "-c", "Release", $"-p:OmniStreamVersion={version}");

            var libraries = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(backend, "obj", "project.assets.json"))).RootElement.GetProperty("libraries");
            var closure = libraries.EnumerateObject().Select(l => (Name: l.Name.Split('/')[0], Type: l.Value.GetProperty("type").GetString())).ToList();
            TestContext.Progress.WriteLine($"the sample's dependency closure: {string.Join(", ", closure.Select(l => l.Name))}");
            Assert.Multiple(() =>
            {
                Assert.That(closure.Where(l => l.Name.StartsWith("OmniStream.", StringComparison.Ordinal)), Is.EquivalentTo(Packed.Select(p => (p, (string?)"package"))),
                    "the SDK from the packages, not from project references");
                Assert.That(closure.Where(l => Forbidden.Any(f => l.Name.StartsWith(f, StringComparison.OrdinalIgnoreCase))).Select(l => l.Name), Is.Empty);
            });

            var customer = "sdk-" + Guid.NewGuid().ToString("N")[..8];
            using var web = new TopicReader(ClusterFixture.Cluster.BootstrapServers, [TopicCatalog.Interactions(Channel.WEB).Name]);
            var output = await ChildCommands.SucceedAsync("dotnet", backend, new Dictionary<string, string> { ["OMNISTREAM__KAFKA__BOOTSTRAPSERVERS"] = ClusterFixture.Cluster.BootstrapServers },
                Path.Combine("bin", "Release", "net10.0", "ChannelBackend.dll"), customer);
            var published = await web.InteractionsForAsync(customer, 1, TimeSpan.FromSeconds(30), "the sample's event");
            Assert.That(output, Does.Contain($"published {published[0].eventId} for {customer}"));
            Assert.That(((PageViewed)published[0].payload).location, Is.EqualTo("/boots"));
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    // The namespaces of the public types of a packed assembly, read from its metadata (the SDK itself is loaded here already).
    private static List<string> PackedNamespaces(string package, string assembly)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        using var bytes = new MemoryStream();
        using (var dll = zip.Entries.Single(e => e.FullName.EndsWith("/" + assembly, StringComparison.Ordinal)).Open())
        {
            dll.CopyTo(bytes);
        }
        bytes.Position = 0;
        using var pe = new System.Reflection.PortableExecutable.PEReader(bytes);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return [.. metadata.TypeDefinitions.Select(metadata.GetTypeDefinition)
            .Where(t => (t.Attributes & System.Reflection.TypeAttributes.VisibilityMask) == System.Reflection.TypeAttributes.Public)
            .Select(t => metadata.GetString(t.Namespace)).Distinct()];
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
