using Avro;

namespace OmniStream.Schemas.Catalog;

/// <summary>A schema version that was released and may still be found in topics.</summary>
/// <param name="FullName">The record's full Avro name.</param>
/// <param name="Version">The release number (v1, v2, ...).</param>
/// <param name="Schema">The released writer schema.</param>
public sealed record ReleasedSchema(string FullName, int Version, Schema Schema);
