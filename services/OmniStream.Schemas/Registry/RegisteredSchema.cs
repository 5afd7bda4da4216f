namespace OmniStream.Schemas.Registry;

/// <summary>A schema as registered under a subject.</summary>
/// <param name="Subject">The subject (by default topic name + "-value").</param>
/// <param name="Id">The registry-wide schema id, carried in Confluent framing.</param>
/// <param name="Version">The version of the schema under the subject.</param>
public sealed record RegisteredSchema(string Subject, int Id, int Version);
