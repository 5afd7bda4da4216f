using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Confluent.SchemaRegistry;
using OmniStream.Adapters;
using OmniStream.Adapters.Email;
using OmniStream.Adapters.Segment;
using OmniStream.Kafka;
using OmniStream.Schemas.Registry;

namespace OmniStream.Cli.Commands;

/// <summary>
/// The Kafka settings of the commands that talk to a real cluster: <c>OmniStream:Kafka</c> from the
/// environment, as the worker and the gateway read it (<c>OMNISTREAM__KAFKA__SECURITYPROTOCOL</c>,
/// <c>OMNISTREAM__KAFKA__SASL__PASSWORD</c>, ...), with <c>--bootstrap-servers</c> on top.
/// </summary>
internal static class ClusterSettings
{
    /// <summary>The settings for <paramref name="bootstrapServers"/>; throws naming the setting at fault.</summary>
    /// <exception cref="OptionsValidationException">The security settings do not hold together.</exception>
    public static KafkaOptions Read(string bootstrapServers)
    {
        var options = Environment().GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
        options.BootstrapServers = bootstrapServers;
        return options.Problem() is { } problem
            ? throw new OptionsValidationException(KafkaOptions.Section, typeof(KafkaOptions), [problem])
            : options;
    }

    /// <summary>
    /// The formats refused messages are read again with, mapped as the gateway's settings file
    /// <paramref name="file"/> (if given) says, with the environment's <c>OMNISTREAM__SEGMENT__*</c> and
    /// <c>OMNISTREAM__EMAIL__SENDGRID__*</c> on top; throws naming a mapping to a payload the contract lacks.
    /// </summary>
    /// <exception cref="OptionsValidationException">A mapping names no payload.</exception>
    public static BadRowFormats BadRowFormats(FileInfo? file)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            builder.AddJsonFile(file.FullName, optional: false);
        }
        var configuration = builder.AddEnvironmentVariables().Build();
        var segment = new SegmentMapping();
        configuration.GetSection(SegmentMapping.Section).Bind(segment);
        var sendGrid = configuration.GetSection(SendGridMapping.Section).Get<SendGridMapping>() ?? new SendGridMapping();
        return segment.Problem(SegmentMapping.Section) is { } problem
            ? throw new OptionsValidationException(SegmentMapping.Section, typeof(SegmentMapping), [problem])
            : new BadRowFormats(segment, sendGrid);
    }

    /// <summary>
    /// The Schema Registry of the environment (<c>OMNISTREAM__SCHEMAREGISTRY__*</c>, as the services read it);
    /// null when none is configured (messages are then written single-object).
    /// </summary>
    /// <exception cref="OptionsValidationException">Its settings do not hold together.</exception>
    public static (ISchemaRegistryClient Client, bool AutoRegister)? SchemaRegistry()
    {
        var options = RegistryOptions();
        if (!options.IsConfigured)
        {
            return null;
        }
        return options.Problem() is { } problem
            ? throw new OptionsValidationException(SchemaRegistryOptions.Section, typeof(SchemaRegistryOptions), [problem])
            : (options.CreateClient(), options.AutoRegister);
    }

    /// <summary>The environment's <c>OMNISTREAM__SCHEMAREGISTRY__*</c> settings (none set: no URL).</summary>
    public static SchemaRegistryOptions RegistryOptions() =>
        Environment().GetSection(Schemas.Registry.SchemaRegistryOptions.Section).Get<SchemaRegistryOptions>() ?? new SchemaRegistryOptions();

    private static IConfiguration Environment() => new ConfigurationBuilder().AddEnvironmentVariables().Build();
}
