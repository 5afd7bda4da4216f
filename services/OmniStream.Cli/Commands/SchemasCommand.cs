using System.CommandLine;
using System.Text.Json;
using Avro;
using OmniStream.Schemas.Catalog;

namespace OmniStream.Cli.Commands;

/// <summary>
/// <c>omnistream schemas fingerprints</c>: for clients in other languages, each contract's schema (the
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
        return new Command("schemas", "The contracts' schemas, for clients in other languages") { fingerprints };
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
