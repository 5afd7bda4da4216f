using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using OmniStream.ServiceDefaults.Hosting;

namespace OmniStream.ServiceDefaults.Peers;

/// <summary>
/// The secret that the instances of one application share (<c>OmniStream:Peers:Key</c>): with it they
/// sign what they announce on the instance directory and the assertions they send each other on a
/// caller's behalf, so that neither a record on the directory's topic nor a request can pass for an
/// instance without it. Each use gets a key of its own, derived from this one.
/// </summary>
public sealed class PeerKey
{
    /// <summary>The setting that holds the key: base64, at least 32 bytes (e.g. <c>openssl rand -base64 32</c>), from a secret store.</summary>
    public const string Setting = "OmniStream:Peers:Key";

    private const int MinKeyBytes = 32;
    private readonly byte[] _key;

    /// <summary>A peer key of <paramref name="key"/> (at least 32 bytes).</summary>
    /// <exception cref="ArgumentException">The key is shorter.</exception>
    public PeerKey(byte[] key)
        : this(key, configured: true)
    {
    }

    private PeerKey(byte[] key, bool configured)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"a peer key needs at least {MinKeyBytes} bytes, not {key.Length}", nameof(key));
        }
        _key = [.. key];
        IsConfigured = configured;
    }

    /// <summary>False when none was configured: a key made for this process is used, so this instance trusts no other.</summary>
    public bool IsConfigured { get; }

    /// <summary>The key for <paramref name="purpose"/> (HKDF-SHA256 of the peer key): one purpose's signatures never pass for another's.</summary>
    public byte[] For(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, salt: [], info: Encoding.UTF8.GetBytes("omnistream-peers/" + purpose));

    /// <summary>The key of <paramref name="configuration"/>, or one made for this process when none is set.</summary>
    /// <exception cref="InvalidOperationException">The key is set but not base64 of at least 32 bytes; the message names the setting.</exception>
    public static PeerKey From(IConfiguration configuration)
    {
        var key = SecretKeySetting.Read(configuration, Setting, MinKeyBytes);
        return key is null ? new PeerKey(RandomNumberGenerator.GetBytes(MinKeyBytes), configured: false) : new PeerKey(key);
    }
}
