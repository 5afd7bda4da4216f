using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace OmniStream.ServiceDefaults.Hosting;

/// <summary>The log levels and console format OmniStream's services start from; <c>appsettings.json</c> and the environment override them.</summary>
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
        // One JSON object per line: a CR or LF inside a logged value is escaped, so no value can forge a line of its own,
        // and log collectors read fields instead of parsing text. 'simple' is the readable alternative for a terminal.
        ["Logging:Console:FormatterName"] = "json",
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
    };

    /// <summary>Puts the defaults first among <paramref name="configuration"/>'s sources, so that every other source overrides them.</summary>
    public static void AddTo(IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
    }
}
