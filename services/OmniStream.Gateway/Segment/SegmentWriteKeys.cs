using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OmniStream.Gateway.Segment;

/// <summary>
/// Finds the source a Segment call comes from by its write key: the HTTP Basic user name (what
/// Segment's libraries send), else the body's <c>writeKey</c>. Keys are compared by their SHA-256
/// in constant time, each against every source.
/// </summary>
public sealed class SegmentWriteKeys(SegmentOptions options)
{
    private readonly (byte[] Hash, SegmentSource Source)[] _sources = [.. options.Sources.Select(s => (Hash(s.WriteKey), s))];

    /// <summary>The source whose key <paramref name="request"/> or <paramref name="body"/> gives; null when none does.</summary>
    public SegmentSource? SourceOf(HttpRequest request, JsonElement body)
    {
        var key = BasicUser(request.Headers.Authorization.ToString())
            ?? (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("writeKey", out var inBody) && inBody.ValueKind == JsonValueKind.String ? inBody.GetString() : null);
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }
        var hash = Hash(key);
        SegmentSource? found = null;
        foreach (var (known, source) in _sources)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, known))
            {
                found = source;
            }
        }
        return found;
    }

    private static string? BasicUser(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? credentials : credentials[..colon];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
