using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OmniStream.Gateway.Delivery;

/// <summary>
/// How webhook bodies are signed: header <c>X-OmniStream-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>,
/// the HMAC-SHA256, with the channel's secret, of <c>&lt;t&gt;.&lt;body&gt;</c>. A receiver recomputes it
/// and rejects a mismatch or an old <c>t</c> (a replay).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header that carries the signature.</summary>
    public const string Header = "X-OmniStream-Signature";

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="at"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Hex(secret, timestamp, body)}";
    }

    /// <summary>Whether <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/>, sent within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = (header ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var timestamp) || !parts.TryGetValue("v1", out var signature)
            || !long.TryParse(timestamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hex(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
    }

    private static string Hex(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp + ".").CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(timestamp.Length + 1));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
