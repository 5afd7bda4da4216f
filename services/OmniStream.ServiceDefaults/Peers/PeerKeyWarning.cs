using Microsoft.Extensions.Logging;

namespace OmniStream.ServiceDefaults.Peers;

/// <summary>Says at start when an instance has no configured peer key, hence trusts no other instance.</summary>
public static partial class PeerKeyWarning
{
    /// <summary>Logs the warning through <paramref name="loggers"/> when <paramref name="key"/> was not configured; returns the key.</summary>
    public static PeerKey Checked(PeerKey key, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!key.IsConfigured)
        {
            LogUnkeyed(loggers.CreateLogger("OmniStream.Peers"), PeerKey.Setting);
        }
        return key;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Setting} is not set: this instance trusts no other instance's announcements and answers only for the partitions it owns; give every instance the same key")]
    private static partial void LogUnkeyed(ILogger logger, string setting);
}
