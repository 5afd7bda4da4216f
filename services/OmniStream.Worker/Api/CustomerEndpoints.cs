using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.Customers.State;
using OmniStream.Decisions.Engine;
using OmniStream.ServiceDefaults.Auth;
using OmniStream.ServiceDefaults.Http;
using OmniStream.Worker.Definitions;

namespace OmniStream.Worker.Api;

/// <summary>
/// The 360° view and what explains it: <c>GET /customers/{id}</c> (with an ETag: a caller that follows a customer is
/// answered 304 while nothing changed), <c>/customers/{id}/actions</c>, <c>/customers/{id}/actions/explained</c> (each
/// action still on the actions topics with its reasons), <c>/customers/{id}/why-not</c> and <c>/identities/{id}</c> (the
/// customer an anonymous or device id is tied to); the explorer reads the same under <c>/explorer/api</c>. Each answer
/// leaves an audit line where it is read.
/// </summary>
public static class CustomerEndpoints
{
    private static readonly TimeSpan ArchiveDeadline = TimeSpan.FromSeconds(5);

    /// <summary>The prefix under which the explorer's page reads the same routes, where its session cookie counts.</summary>
    public const string ExplorerPrefix = "/explorer/api";

    /// <summary>Maps the customer routes, and those the explorer reads again under <see cref="ExplorerPrefix"/>.</summary>
    public static IEndpointRouteBuilder MapCustomerEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var auth = routes.ServiceProvider.GetRequiredService<AuthOptions>();
        routes.MapGet("/customers/{id}/actions", (string id, HttpContext context, CustomerLookup lookup) =>
            lookup.AnswerAsync(context, id, state => state is null
                ? NotFound(id)
                : Results.Json(state.Actions), "customers.read"))
            .RequirePermission(Permissions.CustomersRead, auth);
        foreach (var prefix in new[] { "", ExplorerPrefix })
        {
            routes.MapGet($"{prefix}/customers/{{id}}", View).RequirePermission(Permissions.CustomersRead, auth);
            routes.MapGet($"{prefix}/customers/{{id}}/actions/explained", Explained).RequirePermission(Permissions.CustomersRead, auth);
            routes.MapGet($"{prefix}/customers/{{id}}/why-not", WhyNotAnswers).RequirePermission(Permissions.CustomersRead, auth);
            routes.MapGet($"{prefix}/identities/{{id}}", Link).RequirePermission(Permissions.CustomersRead, auth);
        }
        return routes;
    }

    private static Task<IResult> View(string id, HttpContext context, CustomerLookup lookup, FoldOptions options, TimeProvider time) =>
        lookup.AnswerAsync(context, id, state => state is null
            ? NotFound(id)
            : ConditionalJson.Of(context, CustomerView.Of(state, time.GetUtcNow().UtcDateTime, options)), "customers.read");

    private static Task<IResult> Explained(string id, HttpContext context, CustomerLookup lookup, ActionArchive archive) =>
        lookup.AnswerAsync(context, id, async state =>
        {
            if (state is null)
            {
                return NotFound(id);
            }
            var (actions, complete) = await archive.ReadAsync(id, ArchiveDeadline, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new ExplainedActions(complete, [.. actions.Select(ExplainedAction.Of)]));
        }, "customers.read");

    private static Task<IResult> WhyNotAnswers(string id, string? action, HttpContext context, CustomerLookup lookup, PolicyCatalog policies,
        FoldOptions options, TimeProvider time) =>
        lookup.AnswerAsync(context, id, state =>
        {
            if (state is null)
            {
                return NotFound(id);
            }
            var now = time.GetUtcNow().UtcDateTime;
            var current = policies.Current;
            var names = action is null ? current.Actions.Keys.Order(StringComparer.Ordinal).ToList() : [action];
            var answers = names.Select(name => WhyNot.Ask(current, state, name, now, options.OrderWindow)).ToList();
            return answers.Any(a => a is null)
                ? Results.Json(new ApiError($"the policies have no action '{action}' (known: {string.Join(", ", current.Actions.Keys.Order(StringComparer.Ordinal))})"),
                    statusCode: StatusCodes.Status404NotFound)
                : Results.Json(answers);
        }, "customers.why-not");

    // Audited under the customer the link reveals (else the id asked about), where the link is read.
    private static Task<IResult> Link(string id, HttpContext context, CustomerLookup lookup, AuditLog audit) =>
        lookup.AnswerLinkAsync(context, id, link =>
        {
            var answer = link is null
                ? Results.Json(new ApiError($"'{id}' is tied to no customer: an anonymous or device id not linked yet, or a customer's own id (GET /customers/{{id}})"),
                    statusCode: StatusCodes.Status404NotFound)
                : Results.Json(link);
            audit.Record(context, "identities.read", link?.CustomerId ?? id, link is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
            return answer;
        });

    /// <summary>The answer for a customer of whom nothing is held.</summary>
    public static IResult NotFound(string id) => Results.Json(
        new ApiError($"customer '{id}' is not known: never seen, merged into the customer it was tied to, or erased"),
        statusCode: StatusCodes.Status404NotFound);
}
