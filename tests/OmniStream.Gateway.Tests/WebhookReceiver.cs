using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OmniStream.Streaming.Hosting;

namespace OmniStream.Gateway.Tests;

/// <summary>A channel backend's webhook over real HTTP: records every request and answers with the status the test scripts per call.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Every request received: its body and signature header, in order.</summary>
    public ConcurrentQueue<(byte[] Body, string? Signature)> Requests { get; } = new();

    /// <summary>What every call waits for before it is answered (nothing by default).</summary>
    public Task Hold { get; set; } = Task.CompletedTask;

    /// <summary>The status of the n-th call (from 1).</summary>
    public Func<int, int> StatusOfCall { get; set; } = _ => StatusCodes.Status200OK;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var url = LoopbackPort.FreeUrl();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, url + "/hooks/actions");
        app.MapPost("/hooks/actions", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.Requests.Enqueue((body.ToArray(), request.Headers["X-OmniStream-Signature"].ToString()));
            await receiver.Hold;
            return Results.StatusCode(receiver.StatusOfCall(receiver.Requests.Count));
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
