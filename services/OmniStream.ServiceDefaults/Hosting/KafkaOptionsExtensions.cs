using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniStream.Kafka;

namespace OmniStream.ServiceDefaults.Hosting;

/// <summary>Registers <see cref="KafkaOptions"/> the same way in every service.</summary>
public static class KafkaOptionsExtensions
{
    /// <summary>Binds <c>OmniStream:Kafka</c>, validated at start (brokers required; protocol, SASL and TLS settings coherent; an error names the setting).</summary>
    public static IServiceCollection AddKafkaOptions(this IServiceCollection services)
    {
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<KafkaOptions>>(new ProblemValidation<KafkaOptions>(options => options.Problem()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<KafkaOptions>>().Value);
        return services;
    }
}
