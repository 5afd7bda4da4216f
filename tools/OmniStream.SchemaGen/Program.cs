// Usage: OmniStream.SchemaGen <schemas-dir> <output-dir>     generate C# contract types, with their Avro binary readers and writers
//        OmniStream.SchemaGen <schemas-dir> --release         record changed schemas in schemas/history
// Parses schemas/shared/*.avsc first (types the others refer to by name), then schemas/*.avsc.
// Every schema is written once, in schemas/; history files are the released, self-contained forms.
// The Avro namespace is the C# namespace: Apache.Avro's specific reader finds types by full name.
using Avro;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: OmniStream.SchemaGen <schemas-dir> (<output-dir> | --release)");
    return 2;
}

const string Namespace = "OmniStream.Schemas.Contracts";

var schemasDir = args[0];
var outputDir = args[1];
var release = outputDir == "--release";
var sharedFiles = Directory.GetFiles(Path.Combine(schemasDir, "shared"), "*.avsc").Order(StringComparer.Ordinal).ToList();
var topLevelFiles = Directory.GetFiles(schemasDir, "*.avsc").Order(StringComparer.Ordinal).ToList();

var names = new SchemaNames();
var codeGen = new CodeGen();
var parsed = new List<Schema>();
foreach (var file in sharedFiles.Concat(topLevelFiles))
{
    try
    {
        // Parsed against the names of the files before it, then handed over self-contained.
        var schema = Schema.Parse(File.ReadAllText(file), names, Namespace);
        codeGen.AddSchema(schema);
        parsed.Add(schema);
        if (release && topLevelFiles.Contains(file))
        {
            Release(schemasDir, (NamedSchema)schema);
        }
    }
    catch (AvroException e)
    {
        Console.Error.WriteLine($"{file}: {e.Message}");
        return 1;
    }
}
if (release)
{
    return 0;
}

codeGen.GenerateCode();
if (Directory.Exists(outputDir))
{
    Directory.Delete(outputDir, recursive: true);
}
codeGen.WriteTypes(outputDir, skipDirectories: true);
foreach (var (file, source) in OmniStream.SchemaGen.BinaryCodeGen.Generate(parsed))
{
    File.WriteAllText(Path.Combine(outputDir, file), source);
}
Console.WriteLine($"OmniStream.SchemaGen: {sharedFiles.Count + topLevelFiles.Count} schema files -> {Directory.GetFiles(outputDir).Length} sources in {outputDir}");
return 0;

// Writes schemas/history/<Name>/v<N+1>.avsc when the schema differs from its latest release.
static void Release(string schemasDir, NamedSchema schema)
{
    var dir = Path.Combine(schemasDir, "history", schema.Name);
    Directory.CreateDirectory(dir);
    var versions = Directory.GetFiles(dir, "v*.avsc")
        .Select(f => int.Parse(Path.GetFileNameWithoutExtension(f)[1..], System.Globalization.CultureInfo.InvariantCulture))
        .Order()
        .ToList();
    if (versions.Count > 0)
    {
        var latest = Schema.Parse(File.ReadAllText(Path.Combine(dir, $"v{versions[^1]}.avsc")));
        if (SchemaNormalization.ToParsingForm(latest) == SchemaNormalization.ToParsingForm(schema))
        {
            Console.WriteLine($"{schema.Name}: unchanged since v{versions[^1]}");
            return;
        }
    }
    var next = versions.Count == 0 ? 1 : versions[^1] + 1;
    File.WriteAllText(Path.Combine(dir, $"v{next}.avsc"), schema.ToString() + "\n");
    Console.WriteLine($"{schema.Name}: released as v{next}");
}
