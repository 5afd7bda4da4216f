using Avro.Specific;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Registry;
using OmniStream.Schemas.Wire;

namespace OmniStream.ServiceDefaults.Hosting;

/// <summary>The Schema Registry of a service (<c>OmniStream:SchemaRegistry</c>) and the serdes that use it.</summary>
public static class SchemaRegistryRegistration
{
    /// <summary>Adds the settings, validated at start, and, when a URL is set, Confluent's client (one per process: it caches).</summary>
    public static IServiceCollection AddSchemaRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchemaRegistryOptions>().BindConfiguration(SchemaRegistryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchemaRegistryOptions>>(new ProblemValidation<SchemaRegistryOptions>(options => options.Problem()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value);
        if (configuration.GetSection(SchemaRegistryOptions.Section)["Url"] is { Length: > 0 })
        {
            services.AddSingleton<ISchemaRegistryClient>(sp => sp.GetRequiredService<SchemaRegistryOptions>().CreateClient());
        }
        return services;
    }

    /// <summary>Adds the serde of <typeparamref name="T"/>: Confluent framing with the registry when there is one, single-object encoding otherwise.</summary>
    public static IServiceCollection AddSerde<T>(this IServiceCollection services) where T : ISpecificRecord, IAvroBinary<T>, new() =>
        services.AddSingleton(sp => new AvroSerde<T>(SchemaCatalog.Default, sp.GetService<ISchemaRegistryClient>(), sp.GetRequiredService<SchemaRegistryOptions>().AutoRegister));
}
