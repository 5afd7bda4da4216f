using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniStream.Customers.State;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.Worker.Api;

/// <summary>The 360° view: <c>GET /customers/{id}</c> and <c>GET /customers/{id}/actions</c>.</summary>
public static class CustomerEndpoints
{
    /// <summary>Maps the customer routes.</summary>
    public static IEndpointRouteBuilder MapCustomerEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var auth = routes.ServiceProvider.GetRequiredService<AuthOptions>();
        routes.MapGet("/customers/{id}", (string id, HttpContext context, CustomerLookup lookup, FoldOptions options, TimeProvider time) =>
            lookup.AnswerAsync(context, id, state => state is null
                ? NotFound(id)
                : Results.Json(CustomerView.Of(state, time.GetUtcNow().UtcDateTime, options))))
            .RequirePermission(Permissions.CustomersRead, auth);
        routes.MapGet("/customers/{id}/actions", (string id, HttpContext context, CustomerLookup lookup) =>
            lookup.AnswerAsync(context, id, state => state is null
                ? NotFound(id)
                : Results.Json(state.Actions)))
            .RequirePermission(Permissions.CustomersRead, auth);
        return routes;
    }

    /// <summary>The answer for a customer of whom nothing is held.</summary>
    public static IResult NotFound(string id) => Results.Json(
        new ApiError($"customer '{id}' is not known: never seen, merged into the customer it was tied to, or erased"),
        statusCode: StatusCodes.Status404NotFound);
}
