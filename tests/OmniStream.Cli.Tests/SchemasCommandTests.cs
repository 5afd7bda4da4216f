using System.Text;
using System.Text.Json;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.Testing.Contracts;
using OmniStream.Testing.Registry;

namespace OmniStream.Cli.Tests;

/// <summary>
/// <c>omnistream schemas fingerprints</c>, checked against the Avro specification's CRC-64-AVRO and against
/// what the SDK writes; <c>omnistream schemas register</c> against a registry over real HTTP.
/// </summary>
public class SchemasCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Register_sets_inputs_to_backward_and_outputs_to_full_transitive_and_registers_its_contracts_versions_twice_alike()
    {
        using var registry = new TestSchemaRegistry { Credentials = "ops:registry-secret" };
        var runs = new List<(int Exit, IReadOnlyList<string> Stdout, string Stderr)>();
        for (var run = 0; run < 2; run++)
        {
            using var cli = CliProcess.Start(new Dictionary<string, string>
            {
                ["OMNISTREAM__SCHEMAREGISTRY__USERNAME"] = "ops",
                ["OMNISTREAM__SCHEMAREGISTRY__PASSWORD"] = "registry-secret",
            }, "schemas", "register", "--registry", registry.Url.ToString());
            runs.Add((await cli.WaitForExitAsync(Deadline), cli.Stdout, cli.Stderr));
        }
        var inputs = Channels.Topics.TopicCatalog.AllInteractions.Select(t => t.Name + "-value").Append("omni.privacy-requests-value").Append("omni.action-outcomes-value").ToList();
        var outputs = Channels.Topics.TopicCatalog.AllActions.Select(t => t.Name + "-value")
            .Concat(["omni.customer-profiles-value", "omni.segment-changes-value", "omni.erasure-notices-value", "omni.kpis-value"]).ToList();

        Assert.That(runs.Select(r => r.Exit), Is.All.Zero, runs[0].Stderr);
        Assert.That(runs[1].Stdout, Is.EqualTo(runs[0].Stdout), "a second run finds every schema registered: the same ids");
        Assert.That(runs[0].Stdout, Has.Some.Matches("^omni.interactions.web-value: InteractionEvent id \\d+ \\(\\d+ version\\(s\\) registered\\), compatibility BACKWARD$"));
        Assert.That(runs[0].Stdout, Has.Some.Matches("^omni.actions.web-value: NextBestAction id \\d+ \\(\\d+ version\\(s\\) registered\\), compatibility FULL_TRANSITIVE$"));
        Assert.That(inputs.Concat(outputs), Is.SubsetOf(registry.Subjects));
        Assert.That(inputs.Select(registry.CompatibilityOf), Is.All.EqualTo("BACKWARD"));
        Assert.That(outputs.Select(registry.CompatibilityOf), Is.All.EqualTo("FULL_TRANSITIVE"));
    }

    [Test]
    public async Task Register_without_a_registry_says_what_is_required()
    {
        using var cli = CliProcess.Start("schemas", "register");

        Assert.That(await cli.WaitForExitAsync(Deadline), Is.EqualTo(2));
        Assert.That(cli.Stderr, Does.Contain("--registry (or OMNISTREAM__SCHEMAREGISTRY__URL) is required"));
    }

    [Test]
    public async Task Every_schema_is_printed_in_canonical_form_with_the_fingerprint_and_header_a_record_of_it_starts_with()
    {
        using var cli = CliProcess.Start("schemas", "fingerprints", "--json");
        Assert.That(await cli.WaitForExitAsync(Deadline), Is.Zero, cli.Stderr);
        var rows = JsonSerializer.Deserialize<List<Dictionary<string, string>>>(string.Join('\n', cli.Stdout))!;

        Assert.That(rows, Has.Count.EqualTo(ContractTypes.Current.Count + SchemaCatalog.Default.Released.Count));
        Assert.That(rows.Where(r => r["version"] == "current").Select(r => r["name"]), Is.EquivalentTo(ContractTypes.Current.Select(s => s.Fullname)));
        foreach (var row in rows)
        {
            var fingerprint = Crc64Avro(Encoding.UTF8.GetBytes(row["canonical_form"]));
            Assert.That(row["fingerprint"], Is.EqualTo($"0x{fingerprint:x16}"), $"{row["name"]} {row["version"]}");
            Assert.That(row["canonical_form"], Does.Not.Contain(" ").And.Not.Contain("\"doc\""), "Parsing Canonical Form: no whitespace, no doc");
        }
        var interaction = await new AvroSerde<InteractionEvent>(SchemaCatalog.Default).SerializeAsync(new Interactions("anna").PageViewed(Channel.WEB), "omni.interactions.web");
        var current = rows.Single(r => r["name"] == InteractionEvent._SCHEMA.Fullname && r["version"] == "current");
        Assert.That(current["single_object_header"], Is.EqualTo(Convert.ToHexStringLower(interaction[..10])), "what the SDK writes first");
    }

    [Test]
    public async Task Without_json_each_schema_takes_a_line_and_its_canonical_form_the_next()
    {
        using var cli = CliProcess.Start("schemas", "fingerprints");
        Assert.That(await cli.WaitForExitAsync(Deadline), Is.Zero, cli.Stderr);

        Assert.That(cli.Stdout[0], Does.Match($"^{InteractionEvent._SCHEMA.Fullname.Replace(".", "\\.", StringComparison.Ordinal)} current: fingerprint 0x[0-9a-f]{{16}}, single-object header c301[0-9a-f]{{16}}$"));
        Assert.That(cli.Stdout[1], Does.StartWith("  {\"name\":"));
    }

    // CRC-64-AVRO as the Avro specification defines it ("Schema Fingerprints").
    private static ulong Crc64Avro(byte[] bytes)
    {
        const ulong Empty = 0xc15d213aa4d7a795;
        var table = new ulong[256];
        for (var i = 0; i < 256; i++)
        {
            var fp = (ulong)i;
            for (var j = 0; j < 8; j++)
            {
                fp = (fp >> 1) ^ (Empty & (0 - (fp & 1)));
            }
            table[i] = fp;
        }
        var result = Empty;
        foreach (var b in bytes)
        {
            result = (result >> 8) ^ table[(int)((result ^ b) & 0xff)];
        }
        return result;
    }
}
