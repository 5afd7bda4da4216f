using System.Text.Json;
using Microsoft.AspNetCore.Routing;

namespace OmniStream.Testing.Http;

/// <summary>Compares a service's mapped endpoints with its OpenAPI document.</summary>
public static class OpenApiCoverage
{
    /// <summary>The operations (<c>METHOD /pattern</c>) the document at <paramref name="documentUrl"/> describes.</summary>
    public static async Task<IReadOnlySet<string>> DescribedAsync(Uri documentUrl)
    {
        using var http = new HttpClient();
        var document = JsonDocument.Parse(await http.GetStringAsync(documentUrl).ConfigureAwait(false)).RootElement;
        return document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet();
    }

    /// <summary>Every operation (<c>METHOD /pattern</c>) the service maps, but the document itself.</summary>
    public static IReadOnlyList<string> Mapped(EndpointDataSource endpoints, string documentPath = "/openapi/v1.json")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return [.. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != documentPath)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText}"))];
    }
}
