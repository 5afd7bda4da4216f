using Microsoft.Extensions.Configuration;

namespace OmniStream.ServiceDefaults.Hosting;

/// <summary>Reads a secret key from configuration: base64 of at least a given number of random bytes.</summary>
public static class SecretKeySetting
{
    /// <summary>The key under <paramref name="setting"/>; null when it is not set.</summary>
    /// <exception cref="InvalidOperationException">It is set but not base64 of at least <paramref name="minBytes"/> bytes; the message names the setting.</exception>
    public static byte[]? Read(IConfiguration configuration, string setting, int minBytes)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var key = new byte[text.Length];
        return Convert.TryFromBase64String(text, key, out var length) && length >= minBytes
            ? key[..length]
            : throw new InvalidOperationException($"{setting} must be base64 of at least {minBytes} bytes (e.g. 'openssl rand -base64 {minBytes}')");
    }
}
