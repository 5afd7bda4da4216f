using System.Security.Cryptography;
using System.Text;

namespace OmniStream.Adapters;

/// <summary>
/// Event ids derived from the id a sender gives its message (Segment's <c>messageId</c>, SendGrid's
/// <c>sg_event_id</c>): a message delivered again makes the same events, which the worker drops as copies.
/// </summary>
public static class DerivedEventId
{
    /// <summary>
    /// A name-based (version 5 layout, SHA-256) UUID of <paramref name="source"/>, <paramref name="messageId"/>
    /// and the event's place among the message's events; a new random id when the message has no id.
    /// </summary>
    public static Guid Of(string source, string? messageId, int index)
    {
        if (messageId is null)
        {
            return Guid.NewGuid();
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{source}\n{messageId}\n{index}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
