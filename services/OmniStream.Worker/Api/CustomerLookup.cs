using System.Text;
using Microsoft.AspNetCore.Http;
using OmniStream.Customers.State;
using OmniStream.ServiceDefaults.Http;
using OmniStream.Streaming.Queries;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Api;

/// <summary>
/// Answers a request about one customer where their state lives: here when this instance owns the
/// customer's partition, else by forwarding the request to the instance that does (found in the
/// instance directory) and relaying its answer.
/// </summary>
public sealed class CustomerLookup(StoreQueries queries, IHttpClientFactory http)
{
    /// <summary>
    /// The header that marks a forwarded request, so that it is never forwarded twice. It grants
    /// nothing: the request carries the caller's own credentials, checked again by the owner.
    /// </summary>
    public const string ForwardedHeader = "X-OmniStream-Forwarded";

    /// <summary>The name of the HTTP client used to forward.</summary>
    public const string ClientName = "omnistream-owner";

    /// <summary>
    /// Runs <paramref name="answer"/> with the committed state of <paramref name="customerId"/> (null
    /// when unknown), read at one point in time, if this instance owns it; else relays the owner's
    /// answer to the same request.
    /// </summary>
    public async Task<IResult> AnswerAsync(HttpContext context, string customerId, Func<CustomerState?, IResult> answer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(answer);
        // A customer's data: no cache, shared or private, may keep a copy.
        context.Response.Headers.CacheControl = "no-store";
        if (HttpLimits.TooLong(("id", customerId, HttpLimits.MaxIdLength)) is { } tooLong)
        {
            return Results.Json(new ApiError(tooLong), statusCode: StatusCodes.Status400BadRequest);
        }
        var key = Encoding.UTF8.GetBytes(customerId);
        var location = queries.Locate(WorkerTopology.CustomersStage, key);
        if (location.IsLocal && queries.TryGetLocalWithParts(WorkerTopology.CustomersStage, WorkerTopology.CustomersStore, key, out var core, out var parts))
        {
            return answer(StoredCustomers.Read(key, core, parts));
        }
        if (location.Endpoint is null || context.Request.Headers.ContainsKey(ForwardedHeader))
        {
            return Unavailable($"no instance serves partition {location.Partition.Partition.Value} of the customers yet (rebalancing); retry shortly");
        }
        return await ForwardAsync(context, location.Endpoint).ConfigureAwait(false);
    }

    private async Task<IResult> ForwardAsync(HttpContext context, string endpoint)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(endpoint), context.Request.Path + context.Request.QueryString));
        request.Headers.Add(ForwardedHeader, "1");
        ForwardedCredentials.CopyTo(context.Request, request);
        try
        {
            using var response = await http.CreateClient(ClientName).SendAsync(request, context.RequestAborted).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(context.RequestAborted).ConfigureAwait(false);
            return Results.Content(body, response.Content.Headers.ContentType?.ToString() ?? "application/json", Encoding.UTF8, (int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            return Unavailable($"the instance that owns this customer ({endpoint}) did not answer: {e.Message}");
        }
    }

    private static IResult Unavailable(string error) =>
        Results.Json(new ApiError(error), statusCode: StatusCodes.Status503ServiceUnavailable);
}

/// <summary>The body of every error the API answers.</summary>
/// <param name="Error">What is wrong, for people.</param>
public sealed record ApiError(string Error);
