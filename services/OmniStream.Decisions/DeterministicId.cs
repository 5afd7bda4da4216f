using System.Security.Cryptography;
using System.Text;

namespace OmniStream.Decisions;

/// <summary>
/// Ids derived from what a decision is about, so that deciding the same thing twice (a replay after
/// a crash) yields the same action id and downstream systems can drop the duplicate.
/// </summary>
public static class DeterministicId
{
    /// <summary>A version-8 (custom) UUID from the SHA-256 of the parts.</summary>
    public static Guid From(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
