using OmniStream.Testing;

namespace OmniStream.Cli.Tests;

/// <summary><c>omnistream policies validate</c> and <c>segments validate</c>: the worker's reading of a file, for a CI step.</summary>
public class DefinitionsCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [TestCase("policies", "policies.yaml")]
    [TestCase("segments", "segments.yaml")]
    public async Task The_shipped_file_is_valid(string kind, string file)
    {
        using var cli = CliProcess.Start(kind, "validate", Path.Combine(Repository.Root, "services", "OmniStream.Worker", file));

        Assert.That(await cli.WaitForExitAsync(Deadline), Is.Zero, cli.Stderr);
        Assert.That(cli.Stdout, Has.Some.StartsWith($"{file}: valid,"));
    }

    [Test]
    public async Task A_broken_policy_file_fails_the_check_naming_its_line_and_what_is_wrong()
    {
        var file = Path.Combine(Path.GetTempPath(), $"omnistream-policies-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "moments:\n  cart_idle:\n    on: CartUpdated\n    bogus: 1\n");
        try
        {
            using var cli = CliProcess.Start("policies", "validate", file);

            Assert.That(await cli.WaitForExitAsync(Deadline), Is.EqualTo(3));
            Assert.That(cli.Stderr, Does.Contain($"{Path.GetFileName(file)} line 4").And.Contain("unknown field 'bogus'"));

            using var asJson = CliProcess.Start("policies", "validate", file, "--json");
            Assert.That(await asJson.WaitForExitAsync(Deadline), Is.EqualTo(3));
            var verdict = System.Text.Json.JsonDocument.Parse(asJson.Stdout.Single()).RootElement;
            Assert.That(verdict.GetProperty("valid").GetBoolean(), Is.False);
            Assert.That(verdict.GetProperty("error").GetString(), Does.Contain("line 4"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
