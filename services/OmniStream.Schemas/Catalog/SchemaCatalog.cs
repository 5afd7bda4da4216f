using System.Reflection;
using Avro;

namespace OmniStream.Schemas.Catalog;

/// <summary>
/// Every schema a reader may meet without a Schema Registry: the current contracts and their
/// released versions (schemas/history, embedded in this assembly), found by their 64-bit
/// CRC-64-AVRO fingerprint (the one single-object encoding carries).
/// </summary>
public sealed class SchemaCatalog
{
    private readonly Dictionary<long, Schema> _byFingerprint = [];

    /// <summary>Builds a catalog of the given current schemas and released versions.</summary>
    public SchemaCatalog(IEnumerable<Schema> current, IEnumerable<ReleasedSchema> released)
    {
        Released = released.OrderBy(r => r.FullName, StringComparer.Ordinal).ThenBy(r => r.Version).ToList();
        foreach (var schema in current.Concat(Released.Select(r => r.Schema)))
        {
            _byFingerprint.TryAdd(Fingerprint(schema), schema);
        }
    }

    /// <summary>The catalog of this build: current contracts and the embedded release history.</summary>
    public static SchemaCatalog Default { get; } = new(ContractTypes.Current, LoadEmbeddedHistory());

    /// <summary>Released versions, by full name then version.</summary>
    public IReadOnlyList<ReleasedSchema> Released { get; }

    /// <summary>The single-object fingerprint of a schema: CRC-64-AVRO of its parsing canonical form.</summary>
    public static long Fingerprint(Schema schema) => SchemaNormalization.ParsingFingerprint64(schema);

    /// <summary>Finds the schema with this fingerprint.</summary>
    public bool TryGet(long fingerprint, out Schema schema) => _byFingerprint.TryGetValue(fingerprint, out schema!);

    private static List<ReleasedSchema> LoadEmbeddedHistory()
    {
        // Resource names: history/<RecordName>/v<N>.avsc
        var assembly = typeof(SchemaCatalog).Assembly;
        var released = new List<ReleasedSchema>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("history/", StringComparison.Ordinal)))
        {
            released.Add(Parse(name, ReadResource(assembly, name)));
        }
        return released;
    }

    private static ReleasedSchema Parse(string resourceName, string json)
    {
        var versionText = Path.GetFileNameWithoutExtension(resourceName).TrimStart('v');
        if (!int.TryParse(versionText, out var version))
        {
            throw new InvalidOperationException($"released schema '{resourceName}' must be named v<number>.avsc");
        }
        var schema = Schema.Parse(json);
        return new ReleasedSchema(schema.Fullname, version, schema);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
