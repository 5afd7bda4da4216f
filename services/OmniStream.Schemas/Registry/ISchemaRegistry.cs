using Avro;

namespace OmniStream.Schemas.Registry;

/// <summary>The part of a Confluent-compatible Schema Registry that the serdes use.</summary>
public interface ISchemaRegistry
{
    /// <summary>Registers a schema under a subject (idempotent) and returns its global id.</summary>
    Task<int> RegisterAsync(string subject, Schema schema, CancellationToken cancellationToken = default);

    /// <summary>Returns the schema with a global id; throws <see cref="SchemaRegistryException"/> when unknown.</summary>
    Task<Schema> GetSchemaAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Finds a schema under a subject; null when the subject or the schema is not registered.</summary>
    Task<RegisteredSchema?> LookUpAsync(string subject, Schema schema, CancellationToken cancellationToken = default);
}
