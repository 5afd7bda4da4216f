using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Http;
using OmniStream.Channels.Topics;
using OmniStream.Gateway.Hosting;

namespace OmniStream.Gateway.Ingestion;

/// <summary>The answers every ingestion endpoint gives alike: a body not JSON, a batch too long, a client over its rate, refused messages that could not be kept.</summary>
public static class IngestionLimits
{
    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 16 };

    /// <summary>The request's body as JSON, whatever its content type (browsers send <c>text/plain</c>), or the 400 that says why it is not.</summary>
    public static async Task<(JsonDocument? Body, IResult? Refusal)> ParseAsync(HttpRequest request)
    {
        try
        {
            return (await JsonDocument.ParseAsync(request.Body, Parsing, request.HttpContext.RequestAborted).ConfigureAwait(false), null);
        }
        catch (JsonException e)
        {
            return (null, NotJson(e));
        }
    }

    /// <summary><paramref name="body"/>, already read (e.g. to check a signature over its bytes), as JSON, or the 400 that says why it is not.</summary>
    public static (JsonDocument? Body, IResult? Refusal) Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return (JsonDocument.Parse(body, Parsing), null);
        }
        catch (JsonException e)
        {
            return (null, NotJson(e));
        }
    }

    private static IResult NotJson(JsonException e) => Results.BadRequest(new { error = $"the body is not JSON: {e.Message}" });

    /// <summary>
    /// 400 when <paramref name="count"/> messages are more than a request may carry, 429 (with
    /// <c>Retry-After</c>) when <paramref name="client"/> is over its rate; null when the request may go on
    /// (its messages then taken from the client's budget).
    /// </summary>
    /// <remarks>With <paramref name="perAddress"/> (a source whose key is public), the caller's address has a budget of its own within the client's.</remarks>
    public static IResult? Refusal(int count, string client, HttpContext context, EventRateLimits rates, GatewayOptions options, bool perAddress = false)
    {
        if (count > options.MaxEventsPerRequest)
        {
            return Results.BadRequest(new { error = $"the batch has {count} events; at most {options.MaxEventsPerRequest} are accepted ({GatewayOptions.Section}:MaxEventsPerRequest)" });
        }
        if (perAddress && rates.TryTakeFromAddress(client, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", count) is { } addressRetry)
        {
            return TooMany(context, addressRetry, $"over {options.EventsPerSecondPerAddress} events per second from this address ({GatewayOptions.Section}:EventsPerSecondPerAddress)");
        }
        if (rates.TryTake(client, count) is { } retryAfter)
        {
            return TooMany(context, retryAfter, $"over {options.EventsPerSecondPerClient} events per second for this client ({GatewayOptions.Section}:EventsPerSecondPerClient)");
        }
        return null;
    }

    private static IResult TooMany(HttpContext context, TimeSpan retryAfter, string error)
    {
        context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Results.Json(new { error }, statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <summary>503: refused messages could not be kept (nothing is answered as kept that is not).</summary>
    public static IResult BadRowsNotKept(KafkaException e) =>
        Results.Json(new { error = $"the refused events could not be kept on {TopicCatalog.BadRows.Name}: {e.Error.Reason}; post them again" },
            statusCode: StatusCodes.Status503ServiceUnavailable);
}
