using System.Text.Json;
using System.Text.Json.Serialization;
using OmniStream.Customers.Identity;

namespace OmniStream.Worker.Identity;

/// <summary>Identity links as stored in the links store and its changelog: UTF-8 JSON.</summary>
public static class LinkCodec
{
    /// <summary>The stored form of <paramref name="link"/>.</summary>
    public static byte[] Encode(IdentityLink link) => JsonSerializer.SerializeToUtf8Bytes(link, LinkJson.Default.IdentityLink);

    /// <summary>The link stored in <paramref name="bytes"/>.</summary>
    /// <exception cref="JsonException">The bytes are not a stored link.</exception>
    public static IdentityLink Decode(byte[] bytes)
    {
        var link = JsonSerializer.Deserialize(bytes, LinkJson.Default.IdentityLink);
        return link is { Id: not null, CustomerId: not null } ? link : throw new JsonException("not a stored identity link (id or customer missing)");
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IdentityLink))]
internal sealed partial class LinkJson : JsonSerializerContext;
