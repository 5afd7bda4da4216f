using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OmniStream.Decisions;

/// <summary>
/// Ids derived from what a decision is about, so that deciding the same thing twice (a replay after
/// a crash) yields the same action id and downstream systems can drop the duplicate.
/// </summary>
public static class DeterministicId
{
    private const char Separator = '\u001f';

    /// <summary>A version-8 (custom) UUID from the SHA-256 of the parts, joined by U+001F, in UTF-8.</summary>
    public static Guid From(params ReadOnlySpan<string> parts) => Of(parts, null);

    /// <summary>
    /// <see cref="From(ReadOnlySpan{string})"/> of <paramref name="parts"/> followed by <paramref name="last"/> in its
    /// "D" form (the same id as with <c>last.ToString()</c> as the last part, without making that string).
    /// </summary>
    public static Guid From(ReadOnlySpan<string> parts, Guid last) => Of(parts, last);

    private static Guid Of(ReadOnlySpan<string> parts, Guid? last)
    {
        const int GuidLength = 36;
        var length = parts.Length + (last is null ? 0 : GuidLength);
        foreach (var part in parts)
        {
            length += Encoding.UTF8.GetMaxByteCount(part.Length);
        }
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var bytes = rented ?? stackalloc byte[length];
        var written = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                bytes[written++] = (byte)Separator;
            }
            written += Encoding.UTF8.GetBytes(parts[i], bytes[written..]);
        }
        if (last is { } guid)
        {
            if (parts.Length > 0)
            {
                bytes[written++] = (byte)Separator;
            }
            guid.TryFormat(bytes[written..], out var formatted, "D");
            written += formatted;
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..written], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
