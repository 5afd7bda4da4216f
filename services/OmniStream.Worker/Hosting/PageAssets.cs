using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OmniStream.Worker.Hosting;

/// <summary>
/// Serves a page's files built into the worker (nothing from a CDN) under a strict Content-Security-Policy: the page
/// runs only its own script and style and talks only to this origin.
/// </summary>
public static class PageAssets
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>Maps <paramref name="route"/> to the embedded resource <paramref name="resource"/>; the content type follows its extension.</summary>
    public static RouteHandlerBuilder MapAsset(this IEndpointRouteBuilder routes, string route, string resource)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var bytes = Read(resource);
        var contentType = Path.GetExtension(resource) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            var other => throw new ArgumentException($"no content type for '{other}' assets", nameof(resource)),
        };
        return routes.MapGet(route, (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.CacheControl = "no-store";
            return Results.Bytes(bytes, contentType);
        });
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the worker was built without its page asset '{resource}'");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
