using System.Text;
using Microsoft.AspNetCore.Http;
using OmniStream.Customers.State;
using Microsoft.AspNetCore.Routing;
using OmniStream.ServiceDefaults.Http;
using OmniStream.ServiceDefaults.Peers;
using OmniStream.Streaming.Queries;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Api;

/// <summary>
/// Answers a request about one customer where their state lives: here when this instance owns the
/// customer's partition (its engine says so, whatever the directory holds), else by asking the
/// instance that does (found in the signed instance directory) on the caller's behalf and relaying
/// its answer; each such hand-over leaves an audit line.
/// </summary>
public sealed class CustomerLookup(StoreQueries queries, PeerRequests peers, AuditLog audit)
{
    /// <summary>
    /// Runs <paramref name="answer"/> with the committed state of <paramref name="customerId"/> (null
    /// when unknown), read at one point in time, if this instance owns it; else relays the owner's
    /// answer to the same request.
    /// </summary>
    public Task<IResult> AnswerAsync(HttpContext context, string customerId, Func<CustomerState?, IResult> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return AnswerAsync(context, customerId, state => Task.FromResult(answer(state)));
    }

    /// <summary>As the other overload, with an answer that takes its time (it reads more than the state).</summary>
    public async Task<IResult> AnswerAsync(HttpContext context, string customerId, Func<CustomerState?, Task<IResult>> answer)
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
            return await answer(StoredCustomers.Read(key, core, parts)).ConfigureAwait(false);
        }
        // A request another instance passed on is never passed on again.
        if (location is not { Instance: { } owner, Endpoint: { } endpoint } || PeerAssertionHandler.IsFromPeer(context.User))
        {
            return Results.Json(new ApiError($"no instance serves partition {location.Partition.Partition.Value} of the customers yet (rebalancing); retry shortly"),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var relayed = await peers.RelayAsync(owner, endpoint, context).ConfigureAwait(false);
        audit.Record(context, $"forward {context.Request.Method} {(context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText}", customerId,
            (relayed as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK, to: owner);
        return relayed;
    }
}

/// <summary>The body of every error the API answers.</summary>
/// <param name="Error">What is wrong, for people.</param>
public sealed record ApiError(string Error);
