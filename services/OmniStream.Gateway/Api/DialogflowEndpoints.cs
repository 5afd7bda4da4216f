using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OmniStream.Adapters.Chat;
using OmniStream.Gateway.Hosting;
using OmniStream.Gateway.Ingestion;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Gateway.Api;

/// <summary>
/// <c>POST /webhooks/dialogflow</c>: a Dialogflow agent's fulfillment webhook, each request a
/// ChatMessageSent (<see cref="DialogflowAdapter"/>) on the gateway's one ingestion path. Dialogflow
/// authenticates as any client does (an API key in a header it sends, or basic auth); the answer is
/// an empty webhook response (<c>{}</c>: the agent answers the user with its own responses), 200
/// once the event was published or kept aside, 503 when the brokers did not acknowledge it.
/// </summary>
public static class DialogflowEndpoints
{
    /// <summary>The endpoint's address.</summary>
    public const string Path = "/webhooks/dialogflow";

    private static readonly DialogflowAdapter Adapter = new();

    /// <summary>Maps the endpoint.</summary>
    public static RouteHandlerBuilder MapDialogflowEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapPost(Path, PostAsync)
            .WithSummary("Dialogflow fulfillment webhook")
            .Accepts<JsonElement>("application/json")
            .Produces(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status429TooManyRequests)
            .Produces(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> PostAsync(HttpRequest request, EventIngestion ingestion, EventRateLimits rates, GatewayOptions options)
    {
        var (body, notJson) = await IngestionLimits.ParseAsync(request);
        if (body is null)
        {
            return notJson!;
        }
        using (body)
        {
            var client = PermissionClaims.NameOf(request.HttpContext.User);
            if (IngestionLimits.Refusal(1, client, request.HttpContext, rates, options) is { } refused)
            {
                return refused;
            }
            try
            {
                var answer = await ingestion.IngestAsync([body.RootElement], Adapter, client, request.HttpContext.RequestAborted);
                // Dialogflow reads the answer as a webhook response: nothing else may be in it.
                return answer.Unacknowledged.Count > 0
                    ? Results.Json(new { error = answer.Unacknowledged[0].Error }, statusCode: StatusCodes.Status503ServiceUnavailable)
                    : Results.Json(new { });
            }
            catch (KafkaException e)
            {
                return IngestionLimits.BadRowsNotKept(e);
            }
        }
    }
}
