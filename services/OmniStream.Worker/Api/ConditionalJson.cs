using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OmniStream.Worker.Api;

/// <summary>
/// A JSON answer with an entity tag (a hash of its bytes): a request whose <c>If-None-Match</c> names it is answered
/// 304 with no body, so that a page that follows a customer live asks often and is sent the data only when it changed.
/// </summary>
public static class ConditionalJson
{
    /// <summary><paramref name="value"/> as JSON (the API's serializer settings) with its ETag, or 304 when the caller holds it already.</summary>
    public static IResult Of<T>(HttpContext context, T value)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, options);
        var tag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16))}\"";
        context.Response.Headers.ETag = tag;
        return context.Request.Headers.IfNoneMatch.Contains(tag)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(bytes, "application/json");
    }
}
