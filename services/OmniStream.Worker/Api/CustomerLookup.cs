using System.Text;
using Microsoft.AspNetCore.Http;
using OmniStream.Customers.Identity;
using OmniStream.Customers.State;
using Microsoft.AspNetCore.Routing;
using OmniStream.ServiceDefaults.Http;
using OmniStream.ServiceDefaults.Peers;
using OmniStream.Streaming.Queries;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Identity;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Api;

/// <summary>
/// Answers a request about one customer (or one linked id) where their state lives: here when this instance owns the
/// key's partition (its engine says so, whatever the directory holds), else by asking the instance that does (found in
/// the signed instance directory) on the caller's behalf and relaying its answer; each such hand-over leaves an audit
/// line, and so does each answer read here when the caller names an audit action.
/// </summary>
public sealed class CustomerLookup(StoreQueries queries, PeerRequests peers, AuditLog audit)
{
    /// <summary>
    /// Runs <paramref name="answer"/> with the committed state of <paramref name="customerId"/> (null
    /// when unknown), read at one point in time, if this instance owns it; else relays the owner's
    /// answer to the same request.
    /// </summary>
    public Task<IResult> AnswerAsync(HttpContext context, string customerId, Func<CustomerState?, IResult> answer, string? auditAs = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return AnswerAsync(context, customerId, state => Task.FromResult(answer(state)), auditAs);
    }

    /// <summary>
    /// As the other overload, with an answer that takes its time (it reads more than the state); with
    /// <paramref name="auditAs"/>, each answer given here (not a 304) leaves an audit line with that action.
    /// </summary>
    public Task<IResult> AnswerAsync(HttpContext context, string customerId, Func<CustomerState?, Task<IResult>> answer, string? auditAs = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return AtOwnerAsync(context, WorkerTopology.CustomersStage, customerId, auditAs, key =>
            queries.TryGetLocalWithParts(WorkerTopology.CustomersStage, WorkerTopology.CustomersStore, key, out var core, out var parts)
                ? answer(StoredCustomers.Read(key, core, parts))
                : null);
    }

    /// <summary>
    /// Runs <paramref name="answer"/> with the link of <paramref name="id"/> (an anonymous or device id) to its customer
    /// (null when it has none) where the identity stage keeps it; else relays the owner's answer to the same request.
    /// </summary>
    public Task<IResult> AnswerLinkAsync(HttpContext context, string id, Func<IdentityLink?, IResult> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return AtOwnerAsync(context, WorkerTopology.IdentityStage, id, null, key =>
            queries.TryGetLocal(WorkerTopology.IdentityStage, WorkerTopology.LinksStore, key, out var link)
                ? Task.FromResult(answer(link is null ? null : LinkCodec.Decode(link)))
                : null);
    }

    // The local answer when this instance owns the key and can read it (local returns null when it cannot), else the owner's.
    private async Task<IResult> AtOwnerAsync(HttpContext context, string stage, string id, string? auditAs, Func<byte[], Task<IResult>?> local)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A customer's data: no cache, shared or private, may keep a copy.
        context.Response.Headers.CacheControl = "no-store";
        if (HttpLimits.TooLong(("id", id, HttpLimits.MaxIdLength)) is { } tooLong)
        {
            return Results.Json(new ApiError(tooLong), statusCode: StatusCodes.Status400BadRequest);
        }
        var key = Encoding.UTF8.GetBytes(id);
        var location = queries.Locate(stage, key);
        if (location.IsLocal && local(key) is { } answering)
        {
            var answer = await answering.ConfigureAwait(false);
            var status = StatusOf(answer);
            if (auditAs is not null && status != StatusCodes.Status304NotModified)
            {
                audit.Record(context, auditAs, id, status);
            }
            return answer;
        }
        // A request another instance passed on is never passed on again.
        if (location is not { Instance: { } owner, Endpoint: { } endpoint } || PeerAssertionHandler.IsFromPeer(context.User))
        {
            return Results.Json(new ApiError($"no instance serves partition {location.Partition.Partition.Value} of stage {stage} yet (rebalancing); retry shortly"),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var relayed = await peers.RelayAsync(owner, endpoint, context).ConfigureAwait(false);
        // A 304 showed nothing: the owner audits answers that do.
        if (StatusOf(relayed) != StatusCodes.Status304NotModified)
        {
            audit.Record(context, $"forward {context.Request.Method} {(context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText}", id, StatusOf(relayed), to: owner);
        }
        return relayed;
    }

    private static int StatusOf(IResult result) => (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
}

/// <summary>The body of every error the API answers.</summary>
/// <param name="Error">What is wrong, for people.</param>
public sealed record ApiError(string Error);
