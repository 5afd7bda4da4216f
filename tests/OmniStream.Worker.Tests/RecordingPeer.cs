using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.Hosting;

namespace OmniStream.Worker.Tests;

/// <summary>An HTTP listener posing as another instance: records every request's path and headers, and answers as the test says.</summary>
internal sealed class RecordingPeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingPeer(WebApplication app, string url) => (_app, Url) = (app, url);

    public string Url { get; }

    /// <summary>Every request received: its path and its headers.</summary>
    public ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Headers)> Requests { get; } = new();

    public static async Task<RecordingPeer> StartAsync(Func<HttpContext, Task> answer)
    {
        var url = LoopbackPort.FreeUrl();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new RecordingPeer(app, url);
        app.Run(async context =>
        {
            peer.Requests.Enqueue((context.Request.Path.Value ?? "", context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            await answer(context);
        });
        await app.StartAsync();
        return peer;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
