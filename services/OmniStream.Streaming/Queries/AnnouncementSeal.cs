using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OmniStream.Streaming.Queries;

/// <summary>
/// Signs an instance's announcements with a key its application's instances share (HMAC-SHA256 over
/// the record's key and the announcement), and opens only those it signed: a record that anyone with
/// write access to the directory's topic produces cannot name itself the owner of a partition.
/// </summary>
public sealed class AnnouncementSeal
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly byte[] _key;

    /// <summary>A seal under <paramref name="key"/> (at least 32 bytes), the same for every instance of the application.</summary>
    public AnnouncementSeal(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key.Length >= 32 ? [.. key] : throw new ArgumentException($"an announcement key needs at least 32 bytes, not {key.Length}", nameof(key));
    }

    /// <summary>The record value that carries <paramref name="announcement"/> under <paramref name="recordKey"/>, signed.</summary>
    public byte[] Seal(string recordKey, InstanceAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        var body = announcement.Encode();
        return JsonSerializer.SerializeToUtf8Bytes(new Sealed(body, Mac(recordKey, body)), Json);
    }

    /// <summary>The announcement <paramref name="value"/> carries under <paramref name="recordKey"/>, or why it is refused (unsigned, signed with another key, or under another instance's key).</summary>
    public (InstanceAnnouncement? Announcement, string? Refusal) Open(string recordKey, byte[] value)
    {
        if (Read(value) is not { Body: { } body, Mac: { } mac })
        {
            return (null, "not a signed announcement");
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(recordKey, body)))
        {
            return (null, "its signature does not verify (signed without this application's OmniStream:Peers:Key)");
        }
        return InstanceAnnouncement.TryDecode(body) is { } announcement && InstanceAnnouncement.KeyOf(announcement.Stage, announcement.Instance) == recordKey
            ? (announcement, null)
            : (null, "signed, but not an announcement of the instance its key names");
    }

    /// <summary>The announcement in <paramref name="value"/>, its signature not checked: for tools that only show what instances claim.</summary>
    public static InstanceAnnouncement? ReadUnverified(byte[] value) =>
        Read(value) is { Body: { } body } ? InstanceAnnouncement.TryDecode(body) : null;

    private static Sealed? Read(byte[] value)
    {
        try
        {
            return JsonSerializer.Deserialize<Sealed>(value, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private byte[] Mac(string recordKey, byte[] body) =>
        HMACSHA256.HashData(_key, (byte[])[.. Encoding.UTF8.GetBytes(recordKey), 0, .. body]);

    private sealed record Sealed(byte[]? Body, byte[]? Mac);
}
