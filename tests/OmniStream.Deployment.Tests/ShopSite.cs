using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.Hosting;

namespace OmniStream.Deployment.Tests;

/// <summary>A shop's web site on its own loopback origin: its page and the Segment browser library's bundle, served from <c>tools/segment-clients</c>.</summary>
internal sealed class ShopSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ShopSite(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
    }

    /// <summary>Where the site is (<c>http://127.0.0.1:port</c>), an origin of its own.</summary>
    public string Origin { get; }

    /// <summary>Serves <c>shop.html</c> at <c>/</c> and the library at <c>/analytics.js</c>.</summary>
    public static async Task<ShopSite> StartAsync(string clients)
    {
        var origin = LoopbackPort.FreeUrl();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(origin);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/", () => Results.File(Path.Combine(clients, "shop.html"), "text/html"));
        app.MapGet("/analytics.js", () => Results.File(Path.Combine(clients, "node_modules", "@segment", "analytics-next", "dist", "umd", "index.js"), "text/javascript"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        await app.StartAsync();
        return new ShopSite(app, origin);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
