using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OmniStream.Adapters.Json;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Hosting;
using OmniStream.Gateway.Ingestion;
using OmniStream.Schemas.Contracts;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Gateway.Api;

/// <summary>
/// <c>POST /events</c>: interaction events as JSON (<see cref="InteractionJson"/>), one object or an
/// array of them, published to their channel's interactions topic as the SDK publishes them (event id
/// and receipt time filled in, idempotent producer). Each event stands alone: the valid ones are
/// published and the others refused, each named by its index with the field that is wrong, and kept,
/// untouched, with the reason on <c>omni.bad-rows</c> (<see cref="BadRows"/>). 202 once the brokers
/// acknowledged every valid event and every bad row; 400 when none was valid; 503 when the brokers
/// did not acknowledge some (listed, with their event ids, to post again); 429 past the client's rate.
/// </summary>
public static class EventEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static RouteHandlerBuilder MapEventEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/events", PostAsync)
            .Accepts<JsonElement>("application/json")
            .Produces<EventsAnswer>(StatusCodes.Status202Accepted)
            .Produces<EventsAnswer>(StatusCodes.Status400BadRequest)
            .Produces<EventsAnswer>(StatusCodes.Status503ServiceUnavailable)
            .Produces(StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> PostAsync(HttpRequest request, EventIngestion ingestion, EventRateLimits rates, GatewayOptions options)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var (body, notJson) = await IngestionLimits.ParseAsync(request);
        if (body is null)
        {
            return notJson!;
        }
        using (body)
        {
            var events = body.RootElement.ValueKind == JsonValueKind.Array ? [.. body.RootElement.EnumerateArray()] : new List<JsonElement> { body.RootElement };
            if (events.Count == 0)
            {
                return Results.BadRequest(new { error = "the batch is empty: post an event object or an array of them" });
            }
            if (IngestionLimits.Refusal(events.Count, PermissionClaims.NameOf(request.HttpContext.User), request.HttpContext, rates, options) is { } refused)
            {
                return refused;
            }
            EventsAnswer answer;
            try
            {
                answer = await ingestion.IngestAsync(events, InteractionJsonFormat.Instance, PermissionClaims.NameOf(request.HttpContext.User), cancellation);
            }
            catch (KafkaException e)
            {
                return IngestionLimits.BadRowsNotKept(e);
            }
            return answer.Unacknowledged.Count > 0 ? Results.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable)
                : answer.Accepted.Count == 0 ? Results.BadRequest(answer)
                : Results.Accepted(value: answer);
        }
    }
}
