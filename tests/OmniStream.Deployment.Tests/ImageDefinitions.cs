using System.Text.RegularExpressions;
using OmniStream.Testing;
using YamlDotNet.RepresentationModel;

namespace OmniStream.Deployment.Tests;

/// <summary>What the image files say about a service: its Dockerfile stage (ENV, USER, ENTRYPOINT) and its environment in the compose file.</summary>
internal static partial class ImageDefinitions
{
    /// <summary>The ENV of the Dockerfile's stage <paramref name="target"/> (<c>FROM … AS target</c>).</summary>
    public static IReadOnlyDictionary<string, string> DockerfileEnvironment(string target)
    {
        var environment = new Dictionary<string, string>();
        foreach (var instruction in Stage(target).Where(i => i.StartsWith("ENV ", StringComparison.Ordinal)))
        {
            foreach (Match pair in EnvPair().Matches(instruction[4..]))
            {
                environment[pair.Groups["name"].Value] = pair.Groups["value"].Value;
            }
        }
        return environment;
    }

    /// <summary>The arguments of the stage's ENTRYPOINT (exec form), e.g. <c>dotnet OmniStream.Worker.dll</c>.</summary>
    public static IReadOnlyList<string> Entrypoint(string target) =>
        [.. Quoted().Matches(Stage(target).Single(i => i.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))).Select(m => m.Groups[1].Value)];

    /// <summary>The arguments of the stage's HEALTHCHECK command (exec form).</summary>
    public static IReadOnlyList<string> HealthCheck(string target)
    {
        var check = Stage(target).Single(i => i.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        return [.. Quoted().Matches(check[check.IndexOf(" CMD ", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value)];
    }

    /// <summary>The stage's instructions, continuation lines joined, comments left out.</summary>
    public static IReadOnlyList<string> Stage(string target)
    {
        var joined = Regex.Replace(File.ReadAllText(Path.Combine(Repository.Root, "deploy", "Dockerfile")), @"\\\n\s*", " ");
        var lines = joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var from = lines.FindIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal) && l.EndsWith($" AS {target}", StringComparison.Ordinal));
        Assert.That(from, Is.GreaterThanOrEqualTo(0), $"deploy/Dockerfile has a stage '{target}'");
        return [.. lines.Skip(from + 1).TakeWhile(l => !l.StartsWith("FROM ", StringComparison.Ordinal))];
    }

    /// <summary>
    /// The environment of <paramref name="service"/> in docker-compose.kafka.yml, as <c>docker-compose config</c> resolves it
    /// (anchors merged), with made-up values for the secrets it requires.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> ComposeEnvironmentAsync(string service)
    {
        var secrets = new[] { "OMNISTREAM_JWT_SIGNING_KEY", "GRAFANA_ADMIN_PASSWORD" }
            .ToDictionary(name => name, _ => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var (code, output, errors) = await ChildCommands.RunAsync("docker-compose", Repository.Root, secrets, "-f", "docker-compose.kafka.yml", "config");
        Assert.That(code, Is.Zero, errors);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        var environment = (YamlMappingNode)((YamlMappingNode)services[service])["environment"];
        return environment.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? "");
    }

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>\S*)")]
    private static partial Regex EnvPair();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();
}
