using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OmniStream.Channels.Json;
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
    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 16 };

    /// <summary>Maps the endpoint.</summary>
    public static RouteHandlerBuilder MapEventEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/events", PostAsync)
            .Accepts<JsonElement>("application/json")
            .Produces<EventsAnswer>(StatusCodes.Status202Accepted)
            .Produces<EventsAnswer>(StatusCodes.Status400BadRequest)
            .Produces<EventsAnswer>(StatusCodes.Status503ServiceUnavailable)
            .Produces(StatusCodes.Status429TooManyRequests);

    private const string Source = "POST /events";

    private static async Task<IResult> PostAsync(HttpRequest request, ChannelPublisher publisher, BadRowWriter badRows, EventRateLimits rates,
        GatewayOptions options, TimeProvider time)
    {
        var cancellation = request.HttpContext.RequestAborted;
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(request.Body, Parsing, cancellation);
        }
        catch (JsonException e)
        {
            return Results.BadRequest(new { error = $"the body is not JSON: {e.Message}" });
        }
        using (body)
        {
            var events = body.RootElement.ValueKind == JsonValueKind.Array ? [.. body.RootElement.EnumerateArray()] : new List<JsonElement> { body.RootElement };
            if (events.Count == 0)
            {
                return Results.BadRequest(new { error = "the batch is empty: post an event object or an array of them" });
            }
            if (events.Count > options.MaxEventsPerRequest)
            {
                return Results.BadRequest(new { error = $"the batch has {events.Count} events; at most {options.MaxEventsPerRequest} are accepted ({GatewayOptions.Section}:MaxEventsPerRequest)" });
            }
            var client = PermissionClaims.NameOf(request.HttpContext.User);
            if (rates.TryTake(client, events.Count) is { } retryAfter)
            {
                request.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Json(new { error = $"over {options.EventsPerSecondPerClient} events per second for this client ({GatewayOptions.Section}:EventsPerSecondPerClient)" },
                    statusCode: StatusCodes.Status429TooManyRequests);
            }
            return await PublishAsync(events, publisher, (json, reason) => BadRows.Row(json.GetRawText(), reason, Source, client, IdOf(json), time.GetUtcNow().UtcDateTime),
                badRows, cancellation);
        }
    }

    private static async Task<IResult> PublishAsync(List<JsonElement> events, ChannelPublisher publisher,
        Func<JsonElement, string, Message<byte[], byte[]>> badRow, BadRowWriter badRows, CancellationToken cancellation)
    {
        var rejected = new List<RejectedEvent>();
        var rows = new List<Message<byte[], byte[]>>();
        var publishing = new List<(int Index, InteractionEvent Event, Task Ack)>();
        for (var index = 0; index < events.Count; index++)
        {
            try
            {
                var interaction = InteractionJson.Read(events[index]);
                InteractionValidator.ThrowIfInvalid(interaction);
                publishing.Add((index, interaction, publisher.PublishAsync(interaction, cancellation)));
            }
            catch (Exception e) when (e is InteractionJsonException or ArgumentException)
            {
                rejected.Add(new RejectedEvent(index, e.Message));
                rows.Add(badRow(events[index], e.Message));
            }
        }
        var kept = badRows.WriteAsync(rows, cancellation);
        var accepted = new List<AcceptedEvent>();
        var unacknowledged = new List<UnacknowledgedEvent>();
        foreach (var (index, interaction, ack) in publishing)
        {
            try
            {
                await ack;
                accepted.Add(new AcceptedEvent(index, interaction.eventId));
            }
            catch (KafkaException e)
            {
                unacknowledged.Add(new UnacknowledgedEvent(index, interaction.eventId, e.Error.Reason));
            }
        }
        try
        {
            await kept;
        }
        catch (KafkaException e)
        {
            return Results.Json(new { error = $"the refused events could not be kept on {TopicCatalog.BadRows.Name}: {e.Error.Reason}", accepted, rejected },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var answer = new EventsAnswer(accepted, rejected, unacknowledged);
        return unacknowledged.Count > 0 ? Results.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable)
            : accepted.Count == 0 ? Results.BadRequest(answer)
            : Results.Accepted(value: answer);
    }

    // The id a refused event is to be published under once fixed: its own when it gives a valid one.
    private static Guid IdOf(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String
            && Guid.TryParse(id.GetString(), out var eventId) && eventId != Guid.Empty
            ? eventId
            : Guid.NewGuid();
}
