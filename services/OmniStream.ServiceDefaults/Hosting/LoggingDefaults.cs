using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace OmniStream.ServiceDefaults.Hosting;

/// <summary>The log levels OmniStream's services start from; <c>appsettings.json</c> and the environment override them.</summary>
public static class LoggingDefaults
{
    private static readonly Dictionary<string, string?> Levels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        // One line per HTTP request is a load balancer's job.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // HttpClient's request lines carry URLs, and a URL may carry a customer's id (/privacy/export/<id>, forwarded to a peer).
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        // The host would log a failure with its stack trace; ServiceHost says it in one line.
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "None",
    };

    /// <summary>Puts the defaults first among <paramref name="configuration"/>'s sources, so that every other source overrides them.</summary>
    public static void AddTo(IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
    }
}
