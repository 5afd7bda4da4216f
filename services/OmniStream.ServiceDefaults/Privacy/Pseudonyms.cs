using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using OmniStream.ServiceDefaults.Hosting;

namespace OmniStream.ServiceDefaults.Privacy;

/// <summary>
/// What logs say instead of a customer's id: the first 16 hex digits of HMAC-SHA256 of the id under a
/// secret key (<c>OmniStream:Audit:PseudonymKey</c>). The same id always gives the same pseudonym, so
/// lines about one customer can be found (compute the id's pseudonym with the key), but without the key
/// an id cannot be recovered by hashing candidate ids, as an unkeyed hash of enumerable ids could.
/// </summary>
public sealed class Pseudonyms
{
    /// <summary>The setting that holds the key: base64, at least 32 bytes (e.g. <c>openssl rand -base64 32</c>), from a secret store.</summary>
    public const string KeySetting = "OmniStream:Audit:PseudonymKey";

    private const int MinKeyBytes = 32;
    private readonly byte[] _key;

    /// <summary>Pseudonyms under <paramref name="key"/> (at least 32 bytes).</summary>
    /// <exception cref="ArgumentException">The key is shorter.</exception>
    public Pseudonyms(byte[] key)
        : this(key, configured: true)
    {
    }

    private Pseudonyms(byte[] key, bool configured)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"a pseudonym key needs at least {MinKeyBytes} bytes, not {key.Length}", nameof(key));
        }
        _key = [.. key];
        IsConfigured = configured;
    }

    /// <summary>False when no key was configured: a key made for this process is used, and pseudonyms do not match across restarts or instances.</summary>
    public bool IsConfigured { get; }

    /// <summary>The pseudonym of <paramref name="id"/>.</summary>
    public string Of(string? id) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(id ?? "")))[..16];

    /// <summary>The pseudonyms of <paramref name="configuration"/>'s key, or of a key made for this process when none is set.</summary>
    /// <exception cref="InvalidOperationException">The key is set but not base64 of at least 32 bytes; the message names the setting.</exception>
    public static Pseudonyms From(IConfiguration configuration)
    {
        var key = SecretKeySetting.Read(configuration, KeySetting, MinKeyBytes);
        return key is null ? new Pseudonyms(RandomNumberGenerator.GetBytes(MinKeyBytes), configured: false) : new Pseudonyms(key);
    }
}
