using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using OmniStream.Gateway.Delivery;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Gateway.Api;

/// <summary>
/// <c>GET /actions/{channel}/events</c>: a channel's actions as server-sent events, while the
/// connection stays open; a client reconnecting with <c>Last-Event-ID</c> first gets the actions it missed.
/// </summary>
public static class ActionEventEndpoints
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>Maps the endpoint.</summary>
    public static RouteHandlerBuilder MapActionEventEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/actions/{channel}/events", StreamAsync);

    private static async Task StreamAsync(string channel, HttpContext context, ActionEventHub hub, IHostApplicationLifetime lifetime)
    {
        if (!Enum.TryParse<Channel>(channel, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || parsed == Channel.UNKNOWN)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = $"'{channel}' is not a channel (one of {string.Join(", ", Enum.GetNames<Channel>().SkipLast(1))})" });
            return;
        }
        // A stream ends when its client goes, or when the gateway stops: it must not hold the shutdown up.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var stop = ended.Token;
        using var subscription = hub.Subscribe(parsed, Guid.TryParse(context.Request.Headers["Last-Event-ID"], out var last) ? last : null);
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(": connected\n\n", stop);
        await context.Response.Body.FlushAsync(stop);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                wait.CancelAfter(KeepAlive);
                string text;
                try
                {
                    var action = await subscription.Reader.ReadAsync(wait.Token);
                    text = $"id: {action.ActionId}\nevent: action\ndata: {JsonSerializer.Serialize(action, GatewayJson.Options)}\n\n";
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    text = ": keep-alive\n\n";
                }
                await context.Response.WriteAsync(text, stop);
                await context.Response.Body.FlushAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away, or the gateway is stopping.
        }
    }
}
