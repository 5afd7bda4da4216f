using System.CommandLine;
using System.Text.Json;
using Avro;
using Confluent.SchemaRegistry;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Registry;
using Schema = Avro.Schema;

namespace OmniStream.Cli.Commands;

/// <summary>
/// <c>omnistream schemas register</c>: every contract registered under its topics' subjects, each set to its
/// compatibility (BACKWARD for inputs, FULL_TRANSITIVE for what OmniStream writes for others), so that production clients need not register. <c>omnistream schemas fingerprints</c>: for clients in other languages, each contract's schema (the
/// current one and every released version) in Parsing Canonical Form with its CRC-64-AVRO fingerprint,
/// and the 10 bytes that start a record of it in Avro's single-object encoding (OmniStream's default
/// framing without a Schema Registry).
/// </summary>
internal static class SchemasCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array (name, version, fingerprint, single_object_header, canonical_form)" };
        var fingerprints = new Command("fingerprints", "Each contract's Parsing Canonical Form, CRC-64-AVRO fingerprint and single-object header") { json };
        fingerprints.SetAction(parse =>
        {
            var rows = Rows(SchemaCatalog.Default);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows.Select(r => new Dictionary<string, string>
                {
                    ["name"] = r.Name,
                    ["version"] = r.Version,
                    ["fingerprint"] = r.Fingerprint,
                    ["single_object_header"] = r.Header,
                    ["canonical_form"] = r.CanonicalForm,
                })));
                return 0;
            }
            foreach (var row in rows)
            {
                Console.WriteLine($"{row.Name} {row.Version}: fingerprint {row.Fingerprint}, single-object header {row.Header}");
                Console.WriteLine($"  {row.CanonicalForm}");
            }
            return 0;
        });
        return new Command("schemas", "The contracts' schemas, for clients in other languages and for a Schema Registry") { fingerprints, Register() };
    }

    // omnistream schemas register: every topic's subject set to its compatibility (SchemaSubjects), then its contract's versions registered in order.
    private static Command Register()
    {
        var url = new Option<string?>("--registry")
        {
            Description = "The Schema Registry's URL (else OMNISTREAM__SCHEMAREGISTRY__URL; credentials and TLS from OMNISTREAM__SCHEMAREGISTRY__*)",
        };
        var register = new Command("register", "Register every contract under its topics' subjects (topic name + -value) and set each subject's compatibility: BACKWARD for the topics OmniStream reads, FULL_TRANSITIVE for those it writes for others") { url };
        register.SetAction(async (parse, stop) =>
        {
            var options = ClusterSettings.RegistryOptions();
            if (parse.GetValue(url) is { } given)
            {
                if (!Uri.TryCreate(given, UriKind.Absolute, out var parsed))
                {
                    Console.Error.WriteLine($"schemas register: --registry '{given}' is not a URL");
                    return 2;
                }
                options.Url = parsed;
            }
            if (options.Url is null)
            {
                Console.Error.WriteLine("schemas register: --registry (or OMNISTREAM__SCHEMAREGISTRY__URL) is required");
                return 2;
            }
            if (options.Problem() is { } problem)
            {
                Console.Error.WriteLine($"schemas register: {problem}");
                return 2;
            }
            using var registry = options.CreateClient();
            foreach (var (subject, versions, compatibility) in SchemaSubjects.All())
            {
                try
                {
                    await registry.UpdateCompatibilityAsync(compatibility, subject).WaitAsync(stop);
                    var ids = new List<int>();
                    foreach (var version in versions)
                    {
                        ids.Add(await registry.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(version.ToString(), SchemaType.Avro)).WaitAsync(stop));
                    }
                    Console.WriteLine($"{subject}: {((NamedSchema)versions[^1]).Name} id {ids[^1]} ({versions.Count} version(s) registered), compatibility {SchemaSubjects.Name(compatibility)}");
                }
                catch (Exception e) when (e is SchemaRegistryException or HttpRequestException)
                {
                    Console.Error.WriteLine($"schemas register: {subject}: {e.Message}");
                    return 1;
                }
            }
            return 0;
        });
        return register;
    }

    private static List<SchemaRow> Rows(SchemaCatalog catalog) =>
    [
        .. ContractTypes.Current.Select(schema => Row(schema.Fullname, "current", schema)),
        .. catalog.Released.Select(released => Row(released.FullName, $"v{released.Version}", released.Schema)),
    ];

    // The fingerprint as an unsigned hexadecimal number; the header as the marker C3 01 and the fingerprint's 8 little-endian bytes.
    private static SchemaRow Row(string name, string version, Schema schema)
    {
        var fingerprint = unchecked((ulong)SchemaCatalog.Fingerprint(schema));
        var header = new byte[10];
        header[0] = 0xC3;
        header[1] = 0x01;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(2), fingerprint);
        return new SchemaRow(name, version, $"0x{fingerprint:x16}", Convert.ToHexStringLower(header), SchemaNormalization.ToParsingForm(schema));
    }

    private sealed record SchemaRow(string Name, string Version, string Fingerprint, string Header, string CanonicalForm);
}
