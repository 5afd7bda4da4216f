using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Delivery;
using OmniStream.Gateway.Hosting;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Gateway.Api;

/// <summary>
/// <c>GET /actions/{channel}/events</c>: a channel's actions as server-sent events, while the
/// connection stays open; a client reconnecting with <c>Last-Event-ID</c> first gets the actions it missed.
/// A caller reads a channel with <c>actions:read</c> (every channel) or <c>actions:read:&lt;channel&gt;</c>;
/// its open streams, and the gateway's, are bounded.
/// </summary>
public static class ActionEventEndpoints
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>Maps the endpoint.</summary>
    public static RouteHandlerBuilder MapActionEventEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/actions/{channel}/events", StreamAsync);

    // With actions:read, every channel; with actions:read:<channel>, that one (anonymous access to actions:read, if configured, reads all).
    private static bool MayRead(System.Security.Claims.ClaimsPrincipal user, Channel channel) =>
        user.Identity?.IsAuthenticated != true
        || PermissionClaims.HasAny(user, p => p == Permissions.ActionsRead || p == Permissions.ActionsReadOf(TopicCatalog.Slug(channel)));

    private static async Task StreamAsync(string channel, HttpContext context, ActionEventHub hub, IHostApplicationLifetime lifetime, GatewayOptions options)
    {
        if (!Enum.TryParse<Channel>(channel, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || parsed == Channel.UNKNOWN)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = $"'{channel}' is not a channel (one of {string.Join(", ", Enum.GetNames<Channel>().SkipLast(1))})" });
            return;
        }
        if (!MayRead(context.User, parsed))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new
            {
                error = $"reading {TopicCatalog.Slug(parsed)}'s actions needs permission {Permissions.ActionsRead} or {Permissions.ActionsReadOf(TopicCatalog.Slug(parsed))}",
            });
            return;
        }
        var client = PermissionClaims.NameOf(context.User);
        using var subscription = hub.Subscribe(parsed, client, Guid.TryParse(context.Request.Headers["Last-Event-ID"], out var last) ? last : null);
        if (subscription is null)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "5";
            await context.Response.WriteAsJsonAsync(new
            {
                error = $"too many action streams open (at most {options.MaxStreamsPerClient} per client, {GatewayOptions.Section}:MaxStreamsPerClient, and {options.MaxStreams} in all, {GatewayOptions.Section}:MaxStreams)",
            });
            return;
        }
        // A stream ends when its client goes, or when the gateway stops: it must not hold the shutdown up.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var stop = ended.Token;
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(subscription.Resumed ? ": connected\n\n" : ": connected; the Last-Event-ID is not held here: earlier actions may have been missed\n\n", stop);
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
