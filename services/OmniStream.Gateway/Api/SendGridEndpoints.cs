using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OmniStream.Adapters.Email;
using OmniStream.Gateway.Email;
using OmniStream.Gateway.Hosting;
using OmniStream.Gateway.Ingestion;

namespace OmniStream.Gateway.Api;

/// <summary>
/// <c>POST /webhooks/sendgrid</c>: SendGrid's signed Event Webhook. Authenticated by SendGrid's
/// signature (<see cref="SendGridSignature"/>), not by OmniStream credentials; the events become
/// interaction events by <see cref="SendGridAdapter"/> on the gateway's one ingestion path. 200 once
/// every event was published, ignored or kept aside; 503 when the brokers did not acknowledge some
/// (SendGrid posts the batch again; the events' ids make the copies harmless).
/// </summary>
public static class SendGridEndpoints
{
    /// <summary>The endpoint's address.</summary>
    public const string Path = "/webhooks/sendgrid";

    /// <summary>Maps the endpoint.</summary>
    public static RouteHandlerBuilder MapSendGridEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapPost(Path, PostAsync)
            .AllowAnonymous()
            .WithSummary("SendGrid's Event Webhook (signature authentication)")
            .Accepts<JsonElement>("application/json")
            .Produces<EventsAnswer>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status429TooManyRequests)
            .Produces<EventsAnswer>(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> PostAsync(HttpRequest request, SendGridSignature signature, SendGridAdapter adapter, EventIngestion ingestion,
        EventRateLimits rates, GatewayOptions options)
    {
        var cancellation = request.HttpContext.RequestAborted;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellation);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (signature.Problem(request.Headers[SendGridSignature.SignatureHeader], request.Headers[SendGridSignature.TimestampHeader], body.Span) is { } problem)
        {
            return Results.Json(new { error = problem }, statusCode: StatusCodes.Status401Unauthorized);
        }
        var (events, notJson) = IngestionLimits.Parse(body);
        if (events is null)
        {
            return notJson!;
        }
        using (events)
        {
            if (events.RootElement.ValueKind != JsonValueKind.Array)
            {
                return Results.BadRequest(new { error = "the body must be an array of events" });
            }
            var messages = events.RootElement.EnumerateArray().ToList();
            if (IngestionLimits.Refusal(messages.Count, adapter.Source, request.HttpContext, rates, options) is { } refused)
            {
                return refused;
            }
            try
            {
                var answer = await ingestion.IngestAsync(messages, adapter, adapter.Source, cancellation);
                return answer.Unacknowledged.Count > 0 ? Results.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable) : Results.Ok(answer);
            }
            catch (KafkaException e)
            {
                return IngestionLimits.BadRowsNotKept(e);
            }
        }
    }
}
