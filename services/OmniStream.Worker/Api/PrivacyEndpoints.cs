using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.Customers.State;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Wire;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Http;

namespace OmniStream.Worker.Api;

/// <summary>RGPD requests: <c>POST /privacy/erasure/{id}</c> and <c>GET /privacy/export/{id}</c>.</summary>
public static class PrivacyEndpoints
{
    // How long an export may spend reading the actions topics; past it, the export says it is incomplete.
    private static readonly TimeSpan ArchiveDeadline = TimeSpan.FromSeconds(20);

    /// <summary>Maps the privacy routes.</summary>
    public static IEndpointRouteBuilder MapPrivacyEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var auth = routes.ServiceProvider.GetRequiredService<AuthOptions>();
        routes.MapPost("/privacy/erasure/{id}", RequestErasureAsync).RequirePermission(Permissions.PrivacyErase, auth);
        // The stored state in full, as JSON, and the customer's journeys: everything held about them, ids linked to them included.
        // Audited where it is answered: on the instance that owns the customer.
        routes.MapGet("/privacy/export/{id}", (string id, HttpContext context, CustomerLookup lookup, ActionArchive archive, AuditLog audit) =>
            lookup.AnswerAsync(context, id, async state =>
            {
                audit.Record(context, "privacy.export", id, state is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
                if (state is null)
                {
                    return CustomerEndpoints.NotFound(id);
                }
                // Every action still on the actions topics, beyond the latest ones the state keeps with their outcomes.
                var (actions, complete) = await archive.ReadAsync(id, ArchiveDeadline, context.RequestAborted).ConfigureAwait(false);
                var elsewhere = new JsonObject
                {
                    ["actionsOnTopics"] = new JsonArray([.. actions.Select(a => (JsonNode)AvroJson.ToNode(a))]),
                    ["actionsOnTopicsComplete"] = complete,
                };
                return Results.Bytes(CustomerExport.Json(state, elsewhere), "application/json");
            }))
            .RequirePermission(Permissions.PrivacyExport, auth);
        return routes;
    }

    // The request travels as an event on the privacy topic, which only the workers write, keyed by the customer as the
    // channels' events are: from stage ingest on it reaches every stage the way the customer's other events do.
    private static async Task<IResult> RequestErasureAsync(string id, string? channel, string? reason, HttpContext context, ChannelPublisher publisher,
        AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (HttpLimits.TooLong(("id", id, HttpLimits.MaxIdLength), ("reason", reason, HttpLimits.MaxTextLength)) is { } tooLong)
        {
            return Results.Json(new ApiError(tooLong), statusCode: StatusCodes.Status400BadRequest);
        }
        var on = channel is null ? Channel.WEB : TopicCatalog.Channels.FirstOrDefault(c => TopicCatalog.Slug(c) == channel, Channel.UNKNOWN);
        if (on == Channel.UNKNOWN)
        {
            return Results.Json(new ApiError($"unknown channel '{channel}': use one of {string.Join(", ", TopicCatalog.Channels.Select(TopicCatalog.Slug))}"),
                statusCode: StatusCodes.Status400BadRequest);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var request = new ErasureRequested { requestId = Guid.NewGuid().ToString(), reason = reason ?? "erasure requested through the API" };
        await publisher.PublishErasureRequestAsync(new InteractionEvent
        {
            eventId = Guid.NewGuid(),
            occurredAt = now,
            receivedAt = now,
            channel = on,
            subject = new Subject { customerId = id },
            payload = request,
        }, cancellationToken).ConfigureAwait(false);
        audit.Record(context, "privacy.erasure", id, StatusCodes.Status202Accepted, request.requestId);
        return Results.Json(new ErasureAccepted(id, request.requestId), statusCode: StatusCodes.Status202Accepted);
    }
}

/// <summary>The answer to an erasure request: it is on its way through the stages.</summary>
/// <param name="CustomerId">The customer to erase.</param>
/// <param name="RequestId">The request's id, repeated in the erasure notice downstream.</param>
public sealed record ErasureAccepted(string CustomerId, string RequestId);
