using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OmniStream.Channels.Publishing;
using OmniStream.Gateway.Delivery;
using OmniStream.Schemas.Contracts;
using OmniStream.ServiceDefaults.Http;

namespace OmniStream.Gateway.Api;

/// <summary><c>POST /outcomes</c>: what became of an action, reported over HTTP, relayed to <c>omni.action-outcomes</c>.</summary>
public static class OutcomeEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static RouteHandlerBuilder MapOutcomeEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/outcomes", ReportAsync);

    private static async Task<IResult> ReportAsync(HttpRequest request, OutcomeReporter reporter, TimeProvider time)
    {
        OutcomeRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<OutcomeRequest>(request.Body, GatewayJson.Options, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            return Results.BadRequest(new { error = $"the body is not an outcome: {e.Message}" });
        }
        if (body is null)
        {
            return Results.BadRequest(new { error = "the body is empty: an outcome is a JSON object" });
        }
        if (body.Problem() is { } problem)
        {
            return Results.BadRequest(new { error = problem });
        }
        var report = await reporter.ReportAsync(body.ToOutcome(time.GetUtcNow().UtcDateTime), request.HttpContext.RequestAborted);
        return Results.Accepted(value: new { outcomeId = report.outcomeId });
    }
}

/// <summary>An outcome as a channel backend posts it.</summary>
/// <param name="ActionId">The action (required).</param>
/// <param name="CustomerId">The customer it was for (required).</param>
/// <param name="Channel">The channel that carried it out (required).</param>
/// <param name="ActionType">Its kind (default OTHER).</param>
/// <param name="Outcome">What happened (required): DELIVERED, OPENED, CLICKED, CONVERTED, DISMISSED, FAILED.</param>
/// <param name="OccurredAt">When (default: on receipt).</param>
/// <param name="Value">Revenue attributed to a conversion.</param>
/// <param name="Detail">Free text.</param>
/// <param name="ExperimentId">The experiment of the action, if any.</param>
/// <param name="Variant">Its variant.</param>
public sealed record OutcomeRequest(
    Guid? ActionId, string? CustomerId, Channel? Channel, ActionType? ActionType, Outcome? Outcome, DateTime? OccurredAt,
    decimal? Value, string? Detail, string? ExperimentId, string? Variant)
{
    /// <summary>The first missing or wrong field, named; null when the outcome is complete.</summary>
    public string? Problem() =>
        ActionId is null || ActionId == Guid.Empty ? "'actionId' is required"
        : string.IsNullOrWhiteSpace(CustomerId) ? "'customerId' is required"
        : Channel is null or Schemas.Contracts.Channel.UNKNOWN ? "'channel' is required"
        : Outcome is null or Schemas.Contracts.Outcome.UNKNOWN ? "'outcome' is required"
        : (ExperimentId is null) != (Variant is null) ? "'experimentId' and 'variant' go together"
        : Value < 0 ? "'value' must not be negative"
        : HttpLimits.TooLong(("customerId", CustomerId, HttpLimits.MaxIdLength), ("detail", Detail, HttpLimits.MaxTextLength),
            ("experimentId", ExperimentId, HttpLimits.MaxIdLength), ("variant", Variant, HttpLimits.MaxIdLength));

    /// <summary>The outcome record, received at <paramref name="now"/>.</summary>
    public ActionOutcome ToOutcome(DateTime now) => new()
    {
        outcomeId = Guid.NewGuid(),
        actionId = ActionId!.Value,
        customerId = CustomerId!,
        channel = Channel!.Value,
        actionType = ActionType ?? Schemas.Contracts.ActionType.OTHER,
        outcome = Outcome!.Value,
        occurredAt = OccurredAt?.ToUniversalTime() ?? now,
        experiment = ExperimentId is null ? null : new ExperimentAssignment { experimentId = ExperimentId, variant = Variant },
        value = Value is { } amount ? Amount.Of(amount) : null,
        detail = Detail,
    };
}
