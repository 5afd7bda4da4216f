using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OmniStream.Adapters.Segment;
using OmniStream.Gateway.Hosting;
using OmniStream.Gateway.Ingestion;
using OmniStream.Gateway.Segment;

namespace OmniStream.Gateway.Api;

/// <summary>
/// Segment's HTTP tracking API: <c>POST /v1/identify</c>, <c>/v1/track</c>, <c>/v1/page</c>,
/// <c>/v1/screen</c>, <c>/v1/alias</c>, <c>/v1/group</c>, <c>/v1/batch</c> (and <c>/v1/import</c>), and
/// the one-letter addresses Segment's browser library posts to (<c>/v1/t</c>, <c>/v1/b</c>, ...).
/// Authenticated by a source's write key, not by OmniStream credentials; read as any content type
/// (browsers send <c>text/plain</c>). Each message becomes events by <see cref="SegmentAdapter"/> and
/// takes the gateway's one ingestion path (<see cref="EventIngestion"/>). 200 once every message was
/// published, ignored or kept aside with its reason; 503 when the brokers did not acknowledge some
/// (the library sends the batch again; the events' ids make the copies harmless).
/// </summary>
public static class SegmentEndpoints
{
    /// <summary>The CORS policy of the endpoints (<see cref="SegmentOptions.AllowedOrigins"/>).</summary>
    public const string CorsPolicy = "segment";

    private const string Batch = "batch";

    private static readonly Dictionary<string, string> Calls = new(StringComparer.Ordinal)
    {
        ["identify"] = "identify", ["i"] = "identify",
        ["track"] = "track", ["t"] = "track",
        ["page"] = "page", ["p"] = "page",
        ["screen"] = "screen", ["s"] = "screen",
        ["alias"] = "alias", ["a"] = "alias",
        ["group"] = "group", ["g"] = "group",
        ["batch"] = Batch, ["b"] = Batch, ["import"] = Batch,
    };

    /// <summary>Maps the endpoints, open to every caller that gives a source's write key, and to the allowed origins' pages.</summary>
    public static RouteHandlerBuilder MapSegmentEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/v1/{call}", PostAsync)
            .AllowAnonymous()
            .RequireCors(CorsPolicy)
            .WithSummary("Segment tracking API (write-key authentication)")
            .Accepts<JsonElement>("application/json", "text/plain")
            .Produces<EventsAnswer>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status429TooManyRequests)
            .Produces<EventsAnswer>(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> PostAsync(string call, HttpRequest request, SegmentWriteKeys keys, SegmentAdapters adapters, EventIngestion ingestion,
        EventRateLimits rates, GatewayOptions options)
    {
        if (!Calls.TryGetValue(call, out var type))
        {
            return Results.NotFound(new { error = $"/v1/{call} is not a call of the tracking API (identify, track, page, screen, alias, group, batch)" });
        }
        var cancellation = request.HttpContext.RequestAborted;
        var (body, notJson) = await IngestionLimits.ParseAsync(request);
        if (body is null)
        {
            return notJson!;
        }
        using (body)
        {
            var root = body.RootElement;
            if (keys.SourceOf(request, root) is not { } source)
            {
                request.HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"segment\"";
                return Results.Json(new { error = "no source's write key: send it as the HTTP Basic user name (as Segment's libraries do) or as writeKey" },
                    statusCode: StatusCodes.Status401Unauthorized);
            }
            List<JsonElement> messages;
            DateTime? sentAt = null;
            if (type == Batch)
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
                {
                    return Results.BadRequest(new { error = "batch is required: an array of calls" });
                }
                messages = [.. batch.EnumerateArray()];
                sentAt = root.TryGetProperty("sentAt", out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTimeOffset(out var parsed) ? parsed.UtcDateTime : null;
            }
            else
            {
                messages = [root];
            }
            var adapter = adapters.Of(source);
            if (IngestionLimits.Refusal(messages.Count, adapter.Source, request.HttpContext, rates, options, perAddress: true) is { } refused)
            {
                return refused;
            }
            EventsAnswer answer;
            try
            {
                answer = await ingestion.IngestAsync(messages, adapter.InRequest(type == Batch ? null : type, sentAt), adapter.Source, cancellation);
            }
            catch (KafkaException e)
            {
                return IngestionLimits.BadRowsNotKept(e);
            }
            return answer.Unacknowledged.Count > 0 ? Results.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable) : Results.Ok(answer);
        }
    }
}
